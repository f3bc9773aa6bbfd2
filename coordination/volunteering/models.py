"""Volunteer postings and providing-member recruitment, described concretely so people dare to join.

The seed report: volunteer work must say what you will actually do, when, where and for how
long, and who it suits. The editor's form asks for each of those things in its own field.
"""

from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from areas.access import may_see_applicants
from areas.contact import HasPublicContact
from areas.widgets import OrganisationsByArea
from common.dates import Weekday, ja_date, ja_time_range
from common.search import PLACE_BOOST, BigramSearchField
from coordination.activity.models import ProgrammeType, programme_type_id
from coordination.signups.forms import availability, open_slots
from coordination.signups.offers import OffersSignups, SlotSpec
from coordination.volunteering.choices import ActivityKind, PostingType
from coordination.volunteering.forms import VolunteerPostingPageForm


def default_programme_type():
    """A new posting is volunteering until its editor chooses another type (training, say)."""
    return programme_type_id("volunteering")


def _aware(day, at) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


#: The longest text each field takes, in characters: all of them at once still print on a flyer
#: of two A4 pages, with its QR code, its address and its contact (volunteering/flyers.py).
TEXT_LIMITS = {"what_you_do": 800, "support": 600, "what_to_bring": 200, "contact": 300, "steps": 500}


class VolunteerPostingPage(HasPublicContact, OffersSignups, Page):
    """A volunteer opening, or providing-member recruitment with its training sessions."""

    posting_type = models.CharField(
        _("type"), max_length=20, choices=PostingType.choices, default=PostingType.VOLUNTEER
    )
    organisers = ParentalManyToManyField(
        "areas.PartnerOrganisation",
        related_name="volunteer_postings",
        verbose_name=_("posting organisations"),
        help_text=_("They receive the applications."),
    )
    areas = ParentalManyToManyField(
        "areas.AreaPage",
        blank=True,
        related_name="volunteer_postings",
        verbose_name=_("areas"),
        help_text=_(
            "Posted under an area, it is for that area unless you choose others. "
            "Posted in the ward-wide list, leave empty for the whole ward."
        ),
    )
    programme_type = models.ForeignKey(
        ProgrammeType,
        on_delete=models.PROTECT,
        default=default_programme_type,
        limit_choices_to={"active": True},
        related_name="+",
        verbose_name=_("programme type"),
        help_text=_("What kind of programme it is, for the yearly evaluation."),
    )
    activity_kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    what_you_do = models.TextField(
        _("what you will do"),
        max_length=TEXT_LIMITS["what_you_do"],
        help_text=_(
            "Concretely, step by step: for example 'set out mats and toys, play with the children, tidy up'."
        ),
    )
    schedule = models.CharField(
        _("when"),
        max_length=200,
        help_text=_("In words, for example 'second Tuesday of each month, 9:30 to 12:00'. Shifts are below."),
    )
    place = models.CharField(_("where"), max_length=200)
    duration = models.CharField(
        _("how long"), max_length=100, help_text=_("For example: about 2 hours each time.")
    )
    for_students = models.BooleanField(_("suits students"), default=False)
    for_parents = models.BooleanField(_("suits parents"), default=False)
    for_seniors = models.BooleanField(_("suits seniors"), default=False)
    support = models.TextField(
        _("support and training you get"),
        max_length=TEXT_LIMITS["support"],
        help_text=_("Who shows you what to do, what training there is, insurance, travel costs."),
    )
    what_to_bring = models.TextField(_("what to bring"), max_length=TEXT_LIMITS["what_to_bring"], blank=True)
    contact = models.TextField(
        _("contact"),
        max_length=TEXT_LIMITS["contact"],
        help_text=_("Name, phone and hours, for people who have questions or no e-mail."),
    )
    deadline = models.DateField(
        _("application deadline"), help_text=_("Applications are taken until the end of this day.")
    )
    waitlist = models.BooleanField(
        _("waiting list when full"),
        default=True,
        help_text=_("If unticked, a full shift takes no more applications."),
    )
    briefing_at = models.DateTimeField(
        _("information session"),
        null=True,
        blank=True,
        help_text=_(
            "For providing-member recruitment: when the information session (説明会) is, the first "
            "step before the training. It is held at the posting's place."
        ),
    )
    steps = models.TextField(
        _("steps after the training"),
        max_length=TEXT_LIMITS["steps"],
        blank=True,
        help_text=_(
            "One step per line, after the information session and the training, for example: "
            "registration, a first meeting with a family."
        ),
    )
    #: When partners were told of the posting; publishing again does not tell them twice.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("posting_type"),
                FieldPanel("organisers", widget=OrganisationsByArea),
                FieldPanel("areas", widget=forms.CheckboxSelectMultiple),
                FieldPanel("activity_kind"),
                FieldPanel("programme_type"),
            ],
            heading=_("Posting"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("what_you_do"),
                FieldPanel("schedule"),
                FieldPanel("place"),
                FieldPanel("address"),
                FieldPanel("duration"),
                FieldRowPanel(
                    [FieldPanel("for_students"), FieldPanel("for_parents"), FieldPanel("for_seniors")]
                ),
                FieldPanel("support"),
                FieldPanel("what_to_bring"),
                FieldPanel("briefing_at"),
                FieldPanel("steps"),
            ],
            heading=_("What it is like"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("deadline"),
                FieldPanel("waitlist"),
                FieldPanel("contact"),
                FieldPanel("contact_section"),
                FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_email")]),
                FieldPanel("apply_offline"),
                FieldPanel("after_applying"),
                FieldPanel("calls_applicants"),
            ],
            heading=_("Applications"),
        ),
        InlinePanel("shifts", label=_("Shifts or training sessions"), min_num=1),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("place", boost=PLACE_BOOST),
        index.RelatedFields("organisers", [index.SearchField("name", boost=PLACE_BOOST)]),
        index.SearchField("what_you_do"),
        index.SearchField("schedule"),
        index.SearchField("support"),
        index.SearchField("what_to_bring"),
        index.SearchField("steps"),
        BigramSearchField("search_text"),
    ]
    parent_page_types = ["areas.AreaPage", "volunteering.VolunteerIndexPage"]
    subpage_types = []
    base_form_class = VolunteerPostingPageForm
    template = "volunteering/posting_page.html"

    class Meta:
        verbose_name = _("volunteer posting")
        verbose_name_plural = _("volunteer postings")

    @property
    def search_text(self):
        parts = [self.title, self.what_you_do, self.place, self.schedule, self.support]
        return "\n".join(str(p) for p in parts if p)

    def with_content_json(self, content):
        """Revisions never carry the announcement back to 'not announced' when published."""
        page = super().with_content_json(content)
        page.announced_at = (
            VolunteerPostingPage.objects.filter(pk=self.pk).values_list("announced_at", flat=True).first()
        )
        return page

    def clean(self):
        super().clean()
        errors = {}
        if self.posting_type == PostingType.PROVIDING_MEMBER and not self.steps.strip():
            errors["steps"] = _("Please list the steps to becoming a providing member.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_providing_member(self) -> bool:
        return self.posting_type == PostingType.PROVIDING_MEMBER

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def briefing_label(self) -> str:
        """「2027年1月13日（水）10:00　旭区役所 会議室」: the information session, the first step."""
        if not self.briefing_at:
            return ""
        return f"{ja_date(self.briefing_at)}{timezone.localtime(self.briefing_at):%H:%M}〜　{self.place}"

    @property
    def suits(self) -> list[str]:
        labels = []
        if self.for_students:
            labels.append(_("Students"))
        if self.for_parents:
            labels.append(_("Parents"))
        if self.for_seniors:
            labels.append(_("Seniors"))
        return labels or [_("Anyone")]

    @property
    def deadline_at(self) -> datetime:
        return _aware(self.deadline, time.max.replace(microsecond=0))

    @property
    def is_open(self) -> bool:
        return timezone.now() <= self.deadline_at

    @property
    def share_description(self) -> str:
        """What a preview on LINE or X says: when, where, then what one does."""
        if self.search_description:
            return self.search_description
        text = " ".join(self.what_you_do.split())
        return Truncator(f"{self.schedule}　{self.place}。{text}").chars(150)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        slots = list(open_slots(self))
        for slot in slots:
            slot.availability = availability(slot)
        context["slots"] = slots
        context["may_see_applicants"] = may_see_applicants(request.user, self)
        return context

    # -- signups -----------------------------------------------------------

    signup_offers_roster = True

    def roster_areas(self):
        return self.areas.all()

    def roster_interests(self) -> dict[str, str]:
        return {self.activity_kind: str(self.get_activity_kind_display())}

    @property
    def signup_multiple(self) -> bool:
        return not self.is_providing_member

    @property
    def signup_slot_label(self):
        return _("Training session") if self.is_providing_member else _("Shifts you can do")

    def signup_contact(self) -> str:
        return self.contact

    def signup_slot_specs(self) -> list[SlotSpec]:
        return [shift.slot_spec(self) for shift in self.shifts.all()]


class PostingShift(Orderable):
    """A shift (or a providing-member training session): when, where, how many people."""

    posting = ParentalKey(VolunteerPostingPage, on_delete=models.CASCADE, related_name="shifts")
    label = models.CharField(_("what"), max_length=100, blank=True, help_text=_("For example: setting up."))
    date = models.DateField(_("date"), null=True, blank=True)
    second_date = models.DateField(
        _("second day"),
        null=True,
        blank=True,
        help_text=_("For a training of two days: both days are one session to apply for."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("or every"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text=_("For a regular shift without a date."),
    )
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("If not the posting's place.")
    )
    capacity = models.PositiveIntegerField(
        _("people needed"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("second_date"), FieldPanel("weekday")]),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldRowPanel([FieldPanel("label"), FieldPanel("place"), FieldPanel("capacity")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")

    def __str__(self):
        return self.describe()

    def describe(self) -> str:
        if self.date and self.second_date:
            when = f"{ja_date(self.date)}・{ja_date(self.second_date, year=False)}"
        elif self.date:
            when = ja_date(self.date)
        else:
            when = (
                _("Every %(weekday)s") % {"weekday": Weekday(self.weekday).label}
                if self.weekday is not None
                else ""
            )
        text = f"{when}{ja_time_range(self.start_time, self.end_time)}"
        return f"{text} {self.label}".strip()

    def slot_spec(self, posting) -> SlotSpec:
        starts = _aware(self.date, self.start_time) if self.date else None
        ends = _aware(self.second_date or self.date, self.end_time) if self.date else None
        return SlotSpec(
            key=f"shift-{self.pk}",
            label=self.describe(),
            starts_at=starts,
            ends_at=ends,
            weekday=self.date.weekday() if self.date else self.weekday,
            start_time=self.start_time,
            place=self.place or posting.place,
            capacity=self.capacity,
            waitlist=posting.waitlist,
            deadline=posting.deadline_at,
        )


class VolunteerIndexPage(Page):
    """The ward-wide list of open postings, filterable; postings live under it.

    Its template asks for the filter and the postings (templatetags/posting_listing.py)."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["volunteering.VolunteerPostingPage"]
    max_count = 1
    template = "volunteering/index_page.html"

    class Meta:
        verbose_name = _("volunteer postings index")
