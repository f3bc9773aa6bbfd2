"""Joint events announced by partners: one date, several, or a rule with exceptions."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index

from areas.access import EditedByOrganisers
from areas.contact import HasPublicContact
from areas.widgets import OrganisationsByArea
from common.dates import Weekday, ja_date
from common.search import PLACE_BOOST, BigramSearchField
from common.text import richtext_plain
from coordination.activity.models import ProgrammeType, programme_type_id
from coordination.events.feeds import google_calendar_url
from coordination.events.forms import EventPageForm
from coordination.events.registration import Registration, TakesRegistration, Unit
from coordination.events.schedule import DateKind, Repeat, Schedule, WeekOfMonth
from coordination.signups.offers import Question


class AgeBand(models.Model):
    """Who an event is for; the rows are seeded by the migration and never edited by hand."""

    class Key(models.TextChoices):
        PREGNANCY = "pregnancy", _("During pregnancy")
        AGE_0 = "age_0", _("0 years")
        AGE_1 = "age_1", _("1 year")
        AGE_2 = "age_2", _("2 years")
        AGE_3_PLUS = "age_3_plus", _("3 years and over")
        PARENTS = "parents", _("Parents")
        FATHERS = "fathers", _("Fathers")
        GRANDPARENTS = "grandparents", _("Grandparents")
        EVERYONE = "everyone", _("Everyone")

    key = models.CharField(max_length=20, choices=Key.choices, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")
        ordering = ["sort_order"]

    def __str__(self):
        return str(self.get_key_display())


def default_programme_type():
    """A new event is an event or festival until its editor chooses another type."""
    return programme_type_id("event")


class EventPage(EditedByOrganisers, HasPublicContact, TakesRegistration, Schedule, Page):
    """A joint event: organisers, areas (none = ward-wide), dates, who it is for, cost.

    Members of any of its organisers may edit it, wherever it lives (`EditedByOrganisers`).
    """

    organisers = ParentalManyToManyField(
        "areas.PartnerOrganisation", related_name="events", verbose_name=_("organisers")
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
    areas = ParentalManyToManyField(
        "areas.AreaPage",
        blank=True,
        related_name="events",
        verbose_name=_("areas"),
        help_text=_(
            "Under an area's page, the event is for that area unless you choose others. "
            "Under the ward-wide events page, leave empty for a ward-wide event."
        ),
    )
    description = RichTextField(_("description"), blank=True, features=["bold", "ol", "ul", "link"])
    place = models.CharField(_("place"), max_length=200)
    start_date = models.DateField(
        _("date"), help_text=_("The date of the event, or the first day a repeating event may take place.")
    )
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    repeat = models.CharField(_("repeats"), max_length=10, choices=Repeat.choices, blank=True, default="")
    repeat_weekday = models.PositiveSmallIntegerField(_("on"), choices=Weekday.choices, null=True, blank=True)
    repeat_week_of_month = models.SmallIntegerField(
        _("week of the month"),
        choices=WeekOfMonth.choices,
        null=True,
        blank=True,
        help_text=_("For monthly events, for example the second Tuesday."),
    )
    repeat_until = models.DateField(_("last date"), null=True, blank=True)
    #: RFC 5545 RRULE value built from the fields above, kept as the feeds publish it.
    recurrence_rule = models.CharField(max_length=200, blank=True, editable=False)
    #: When partners were told of the event; publishing again does not tell them twice.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled = models.BooleanField(
        _("cancelled (中止)"),
        default=False,
        help_text=_(
            "The whole event is called off. Its page, the calendars and the feeds say 中止; when you "
            "publish, the people registered get an e-mail and LINE followers it suits are told at once."
        ),
    )
    cancellation_reason = models.CharField(
        _("reason for cancelling"),
        max_length=200,
        blank=True,
        help_text=_("For example: the typhoon warning. Shown on the page and sent to those registered."),
    )
    #: When the cancellation was told; publishing again does not tell anyone twice.
    cancellation_told_at = models.DateTimeField(null=True, blank=True, editable=False)
    age_bands = ParentalManyToManyField(
        AgeBand, blank=True, related_name="events", verbose_name=_("who it is for")
    )
    age_detail = models.CharField(
        _("age in detail"),
        max_length=100,
        blank=True,
        help_text=_("For example: babies 2 to 5 months old, and their parents."),
    )
    cost = models.CharField(_("cost"), max_length=100, blank=True, help_text=_("For example: free, 300 yen."))
    what_to_bring = models.TextField(_("what to bring"), max_length=200, blank=True)
    registration = models.CharField(
        _("registration"), max_length=12, choices=Registration.choices, blank=True, default=""
    )
    registration_capacity = models.PositiveIntegerField(
        _("places per date"),
        null=True,
        blank=True,
        help_text=_("For example 15 (parent and child pairs). Each date has this many places."),
    )
    registration_unit = models.CharField(
        _("places are counted in"), max_length=10, choices=Unit.choices, default=Unit.PEOPLE
    )
    registration_asks_party = models.BooleanField(
        _("ask who comes"),
        default=False,
        help_text=_(
            "Ask for furigana, the number of groups, adults and children, and each child's age in months."
        ),
    )
    registration_waitlist = models.BooleanField(_("waiting list when full"), default=True)
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Needed for a lottery. Without one, registration closes when the event starts."),
    )
    image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("cancelled"), FieldPanel("cancellation_reason")],
            heading=_("Cancellation (中止)"),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [
                FieldPanel("organisers", widget=OrganisationsByArea),
                FieldPanel("programme_type"),
                FieldPanel("areas", widget=forms.CheckboxSelectMultiple),
                FieldPanel("place"),
                FieldPanel("address"),
                FieldPanel("description"),
            ],
            heading=_("Event"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time"), FieldPanel("end_time")]),
                FieldPanel("repeat"),
                FieldRowPanel([FieldPanel("repeat_week_of_month"), FieldPanel("repeat_weekday")]),
                FieldPanel("repeat_until"),
            ],
            heading=_("When"),
        ),
        InlinePanel("dates", label=_("Extra dates and dates off")),
        MultiFieldPanel(
            [
                FieldPanel("age_bands", widget=forms.CheckboxSelectMultiple),
                FieldPanel("age_detail"),
                FieldPanel("cost"),
                FieldPanel("what_to_bring"),
            ],
            heading=_("For whom"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration"),
                FieldRowPanel([FieldPanel("registration_capacity"), FieldPanel("registration_unit")]),
                FieldPanel("registration_waitlist"),
                FieldPanel("registration_deadline"),
                FieldPanel("registration_asks_party"),
                FieldPanel("apply_offline"),
                FieldPanel("after_applying"),
                FieldPanel("calls_applicants"),
            ],
            heading=_("Registration"),
        ),
        InlinePanel("questions", label=_("Your own questions on the form")),
        MultiFieldPanel(
            [
                FieldPanel("contact_section"),
                FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_email")]),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("place", boost=PLACE_BOOST),
        index.RelatedFields("organisers", [index.SearchField("name", boost=PLACE_BOOST)]),
        index.SearchField("description"),
        index.SearchField("age_detail"),
        index.SearchField("what_to_bring"),
        BigramSearchField("search_text"),
        index.FilterField("start_date"),
    ]
    parent_page_types = ["areas.AreaPage", "events.EventIndexPage"]
    subpage_types = []
    base_form_class = EventPageForm
    template = "events/event_page.html"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    @property
    def search_text(self):
        parts = [self.title, self.description, self.place, self.what_to_bring]
        return "\n".join(str(p) for p in parts if p)

    def with_content_json(self, content):
        """Revisions never carry the announcement (or the told cancellation) back to 'not told'."""
        page = super().with_content_json(content)
        told = ("announced_at", "cancellation_told_at")
        stored = EventPage.objects.filter(pk=self.pk).values_list(*told).first()
        page.announced_at, page.cancellation_told_at = stored or (None, None)
        return page

    @property
    def who_it_is_for(self) -> str:
        """The age bands, then the detail in words: 「0歳、保護者（生後2〜5か月の赤ちゃんと保護者）」."""
        bands = "、".join(str(band) for band in self.age_bands.all())
        if self.age_detail:
            return f"{bands}（{self.age_detail}）" if bands else self.age_detail
        return bands

    def clean(self):
        super().clean()
        errors = {**self.schedule_errors(), **self.registration_errors()}
        if self.cancelled and not self.cancellation_reason.strip():
            errors["cancellation_reason"] = _("Please say why the event is cancelled.")
        if self.image_id and not self.image_alt.strip():
            errors["image_alt"] = _("Please describe the image for people who cannot see it.")
        if errors:
            raise ValidationError(errors)
        self.check_rule()

    def save(self, *args, **kwargs):
        self.recurrence_rule = self.build_rule()
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.takes_signups():
            context.update(self.registration_context(request))
        upcoming = self.upcoming_occurrences()
        context["upcoming"] = upcoming
        context["share_description"] = self.share_description(upcoming[0] if upcoming else None)
        if upcoming:
            context["google_calendar_url"] = google_calendar_url(self, upcoming[0])
        return context

    def share_description(self, next_occurrence=None) -> str:
        """What a preview on LINE or X says: the next date, the place, for whom, then the text."""
        if self.search_description:
            return self.search_description
        parts = []
        if next_occurrence:
            parts.append(f"{ja_date(next_occurrence.start)} {next_occurrence.start:%H:%M}〜")
        parts.append(self.place)
        who = self.who_it_is_for
        if who:
            parts.append(str(_("For: %(who)s")) % {"who": who})
        text = richtext_plain(self.description)
        return Truncator("　".join(parts) + ("。" + text if text else "")).chars(150)


class EventIndexPage(Page):
    """区全体の催し: ward-wide events live here, approved by the network admins.

    Its template lists the next ward-wide events (templatetags/event_listing.py)."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1
    template = "events/event_index_page.html"

    class Meta:
        verbose_name = _("ward-wide events page")


class EventQuestion(Orderable):
    """A question the organisers add to the registration form: allergies, buggy parking..."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(
        _("answer"),
        max_length=10,
        choices=[
            (Question.TEXT, _("Short text")),
            (Question.CHOICE, _("A choice")),
            (Question.YES_NO, _("Yes or no")),
        ],
        default=Question.TEXT,
    )
    choices = models.TextField(_("choices"), blank=True, help_text=_("For a choice: one per line."))
    required = models.BooleanField(_("required"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("choices"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.label

    def clean(self):
        if self.kind == Question.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def as_question(self) -> Question:
        return Question(label=self.label, kind=self.kind, choices=self.choice_list, required=self.required)


class EventDate(Orderable):
    """A date added to the event or taken out of it (a holiday, say), at the event's usual times."""

    #: Extra date or date off, as the schedule reads them (schedule.DateKind).
    Kind = DateKind

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EXTRA)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("kind")])]

    class Meta(Orderable.Meta):
        verbose_name = _("date")
        verbose_name_plural = _("dates")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} ({self.get_kind_display()})"
