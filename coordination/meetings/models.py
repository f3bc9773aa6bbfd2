from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from areas.access import may_close_out_meeting
from areas.models import AreaPage
from areas.widgets import OrganisationsByArea
from common.search import PLACE_BOOST, BigramSearchField
from coordination.activity.models import ProgrammeType, programme_type_id
from coordination.meetings.blocks import MinutesBlock


class Visibility(models.TextChoices):
    AREA = "area", _("Partners of this area")
    NETWORK = "network", _("All partners of the network")
    PUBLIC = "public", _("Everyone (public)")


class MeetingIndexPage(Page):
    """The home of ward-wide liaison meetings.

    Its template lists them as the reader may see them (templatetags/meeting_listing.py)."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["meetings.MeetingPage"]
    max_count = 1

    class Meta:
        verbose_name = _("ward-wide meetings page")


def default_programme_type():
    """A meeting is an area liaison meeting until its editor chooses another type."""
    return programme_type_id("liaison_meeting")


class MeetingPageForm(WagtailAdminPageForm):
    """Checks across the page and its action items, so each error appears beside its field."""

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start")
        if start:
            day = timezone.localtime(start).date()
            formset = self.formsets["action_items"]
            formset.is_valid()  # formsets are otherwise validated after this form
            for form in formset.forms:
                due = form.cleaned_data.get("due") if hasattr(form, "cleaned_data") else None
                if due and due < day and not form.cleaned_data.get("DELETE"):
                    form.add_error("due", _("An action item cannot be due before the meeting."))
                    self.add_error(None, _("Please check the action items."))
        return cleaned


class MeetingPage(Page):
    """A liaison meeting: before it, the plan; after it, the minutes, decisions and action items."""

    start = models.DateTimeField(_("starts at"))
    end = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    programme_type = models.ForeignKey(
        ProgrammeType,
        on_delete=models.PROTECT,
        default=default_programme_type,
        limit_choices_to={"active": True},
        related_name="+",
        verbose_name=_("programme type"),
        help_text=_("What kind of meeting it is, for the yearly evaluation."),
    )
    online_url = models.URLField(_("online meeting link"), blank=True)
    invited_organisations = ParentalManyToManyField(
        "areas.PartnerOrganisation",
        blank=True,
        related_name="invited_to",
        verbose_name=_("organisations invited"),
    )
    agenda = RichTextField(_("agenda"), blank=True, features=["bold", "ol", "ul", "link"])
    attending_organisations = ParentalManyToManyField(
        "areas.PartnerOrganisation",
        blank=True,
        related_name="attended",
        verbose_name=_("organisations attending"),
    )
    attendees = models.TextField(_("people attending"), blank=True, help_text=_("One name per line."))
    minutes = StreamField(MinutesBlock(), verbose_name=_("minutes"), blank=True)
    decisions = RichTextField(_("decisions"), blank=True, features=["bold", "ol", "ul"])
    visibility = models.CharField(
        _("who may read the minutes"), max_length=10, choices=Visibility.choices, default=Visibility.AREA
    )
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_("Shown to everyone on the area page when the minutes themselves stay private."),
    )
    #: When the invited organisations were told of the meeting, and the partners of its minutes.
    meeting_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("place"),
                FieldPanel("programme_type"),
                FieldPanel("online_url"),
                FieldPanel("invited_organisations", widget=OrganisationsByArea),
                FieldPanel("agenda"),
            ],
            heading=_("Meeting"),
        ),
        MultiFieldPanel(
            [FieldPanel("attending_organisations", widget=OrganisationsByArea), FieldPanel("attendees")],
            heading=_("Attendance"),
        ),
        FieldPanel("minutes"),
        FieldPanel("decisions"),
        InlinePanel("action_items", label=_("Action items")),
        InlinePanel("attachments", label=_("Attachments")),
        MultiFieldPanel([FieldPanel("visibility"), FieldPanel("public_summary")], heading=_("Who may read")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("place", boost=PLACE_BOOST),
        index.SearchField("agenda"),
        index.SearchField("minutes"),
        index.SearchField("decisions"),
        index.SearchField("public_summary"),
        index.RelatedFields("action_items", [index.SearchField("description")]),
        BigramSearchField("search_text"),
        index.FilterField("start"),
    ]
    parent_page_types = ["areas.AreaPage", "meetings.MeetingIndexPage"]
    subpage_types = []
    base_form_class = MeetingPageForm

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    @property
    def area(self):
        parent = self.get_parent()
        return parent.specific if parent and parent.specific_class is AreaPage else None

    @property
    def search_text(self):
        parts = [self.title, self.agenda, self.decisions, self.public_summary, self.place]
        parts += [str(block.value) for block in self.minutes]
        parts += [item.description for item in self.action_items.all()]
        return "\n".join(str(p) for p in parts if p)

    def with_content_json(self, content):
        """Revisions never carry announcements and reminders back to 'not yet' when published."""
        page = super().with_content_json(content)
        fields = ("meeting_announced_at", "minutes_announced_at", "reminded_at")
        stored = MeetingPage.objects.filter(pk=self.pk).values(*fields).first() or {}
        for field in fields:
            setattr(page, field, stored.get(field))
        return page

    def announced_on_publish(self) -> bool:
        """Whether its last publishing told the readers of its minutes (services.meeting_published):
        the area's partners, the writer among them, so the workflow's "approved" e-mail is not sent
        as well (areas.signals.one_email_per_approval)."""
        stored = (
            MeetingPage.objects.filter(pk=self.pk).values("minutes_announced_at", "last_published_at").first()
        )
        return bool(
            stored
            and stored["minutes_announced_at"]
            and stored["last_published_at"]
            and stored["minutes_announced_at"] >= stored["last_published_at"]
        )

    @property
    def review_url(self):
        """Where an approver reads submitted minutes and approves them (the dashboard links here)."""
        return reverse("meetings:review_minutes", args=[self.pk])

    @property
    def has_minutes(self):
        return bool(self.minutes) or bool(self.decisions)

    @property
    def is_upcoming(self):
        return self.end >= timezone.now()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # After the meeting, its partners are one tap from the close-out the report counts.
        context["may_close_out"] = not self.is_upcoming and may_close_out_meeting(request.user, self)
        return context

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The meeting must end after it starts.")
        if errors:
            raise ValidationError(errors)


class ActionItem(Orderable):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("action item status", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("action item status", "In progress")
        DONE = "done", _("Done")

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        "areas.PartnerOrganisation",
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("owner organisation"),
    )
    due = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    # A plain list is quicker on a phone than the snippet chooser's pop-up.
    panels = [
        FieldPanel("description"),
        FieldPanel("owner", widget=forms.Select),
        FieldPanel("due"),
        FieldPanel("status"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.description

    @property
    def is_overdue(self):
        return self.status != self.Status.DONE and self.due < timezone.localdate()


class MeetingAttachment(Orderable):
    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
