"""Joint events announced by partners: one date, several, or a rule with exceptions."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index

from common.dates import Weekday, ja_date
from common.search import BigramSearchField
from coordination.events import recurrence
from coordination.events.permissions import EventPagePermissionTester
from coordination.signups.access import may_see_applicants
from coordination.signups.forms import availability, open_slots
from coordination.signups.offers import OffersSignups, SlotSpec


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


class Repeat(models.TextChoices):
    NONE = "", _("Does not repeat")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("First")
    SECOND = 2, _("Second")
    THIRD = 3, _("Third")
    FOURTH = 4, _("Fourth")
    FIFTH = 5, _("Fifth")
    LAST = -1, _("Last")


class EventPageForm(WagtailAdminPageForm):
    """Checks the dates with the extra and exception rows, so each error sits beside its field."""

    def clean(self):
        cleaned = super().clean()
        parent = getattr(self, "parent_page", None)
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        if not cleaned.get("areas") and parent is not None and parent.specific_class.__name__ == "AreaPage":
            # Under an area's page, "no area" would make it ward-wide by accident.
            cleaned["areas"] = type(parent.specific).objects.filter(pk=parent.pk)
        formset = self.formsets["dates"]
        formset.is_valid()  # formsets are otherwise validated after this form
        extra, exceptions = set(), set()
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("date") and not data.get("DELETE"):
                (extra if data.get("kind") == EventDate.Kind.EXTRA else exceptions).add(data["date"])
        first_day = cleaned.get("start_date")
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if not (first_day and start_time and end_time) or self.errors:
            return cleaned
        rule = recurrence.build_rule(
            frequency=cleaned.get("repeat") or "",
            weekday=cleaned.get("repeat_weekday"),
            week_of_month=cleaned.get("repeat_week_of_month"),
            until=cleaned.get("repeat_until"),
        )
        starts = recurrence.rule_starts(rule, first_day, start_time)
        if (rule and not starts) or len(starts) > recurrence.MAX_OCCURRENCES:
            return cleaned  # the page's own clean() says what is wrong with the rule
        occurrences = recurrence.expand(
            first_day=first_day,
            start_time=start_time,
            end_time=end_time,
            rule=rule,
            extra_dates=extra,
            exception_dates=exceptions,
        )
        if not occurrences:
            self.add_error(None, _("With these dates off, the event has no date left."))
        return cleaned


class Registration(models.TextChoices):
    NONE = "", _("No registration")
    FIRST_COME = "first_come", _("First come, first served")
    LOTTERY = "lottery", _("Lottery after a deadline")


#: Dates offered for registration at most: about a year of a weekly event.
REGISTRATION_DATES = 60


class EventPage(OffersSignups, Page):
    """A joint event: organisers, areas (none = ward-wide), dates, who it is for, cost."""

    organisers = ParentalManyToManyField(
        "areas.PartnerOrganisation", related_name="events", verbose_name=_("organisers")
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
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    registration = models.CharField(
        _("registration"), max_length=12, choices=Registration.choices, blank=True, default=""
    )
    registration_capacity = models.PositiveIntegerField(
        _("places per date"),
        null=True,
        blank=True,
        help_text=_("For example 15 (parent and child pairs). Each date has this many places."),
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
            [
                FieldPanel("organisers"),
                FieldPanel("areas", widget=forms.CheckboxSelectMultiple),
                FieldPanel("place"),
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
                FieldRowPanel([FieldPanel("registration_capacity"), FieldPanel("registration_waitlist")]),
                FieldPanel("registration_deadline"),
            ],
            heading=_("Registration"),
        ),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.SearchField("place"),
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
        """Revisions never carry the announcement back to 'not announced' when published."""
        page = super().with_content_json(content)
        stored = EventPage.objects.filter(pk=self.pk).values_list("announced_at", flat=True).first()
        page.announced_at = stored
        return page

    def permissions_for_user(self, user):
        """Members of any organiser may edit the event too (coordination/events/permissions.py)."""
        return EventPagePermissionTester(user, self)

    @property
    def who_it_is_for(self) -> str:
        """The age bands, then the detail in words: 「0歳、保護者（生後2〜5か月の赤ちゃんと保護者）」."""
        bands = "、".join(str(band) for band in self.age_bands.all())
        if self.age_detail:
            return f"{bands}（{self.age_detail}）" if bands else self.age_detail
        return bands

    @property
    def is_ward_wide(self):
        return not self.areas.exists()

    def build_rule(self) -> str:
        return recurrence.build_rule(
            frequency=self.repeat,
            weekday=self.repeat_weekday,
            week_of_month=self.repeat_week_of_month,
            until=self.repeat_until,
        )

    def extra_dates(self):
        return sorted(d.date for d in self.dates.all() if d.kind == EventDate.Kind.EXTRA)

    def exception_dates(self):
        return sorted(d.date for d in self.dates.all() if d.kind == EventDate.Kind.EXCEPTION)

    def occurrences(self, after=None, before=None):
        return recurrence.expand(
            first_day=self.start_date,
            start_time=self.start_time,
            end_time=self.end_time,
            rule=self.recurrence_rule,
            extra_dates=self.extra_dates(),
            exception_dates=self.exception_dates(),
            after=after,
            before=before,
        )

    def upcoming_occurrences(self, limit=10):
        return self.occurrences(after=timezone.localdate())[:limit]

    def clean(self):
        super().clean()
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The event must end after it starts.")
        if self.image_id and not self.image_alt.strip():
            errors["image_alt"] = _("Please describe the image for people who cannot see it.")
        if self.registration and not self.registration_capacity:
            errors["registration_capacity"] = _("Say how many places each date has.")
        if self.registration == Registration.LOTTERY and not self.registration_deadline:
            errors["registration_deadline"] = _("A lottery needs a deadline for entries.")
        if self.repeat:
            if self.repeat_weekday is None:
                errors["repeat_weekday"] = _("Choose the day of the week the event repeats on.")
            if self.repeat == Repeat.MONTHLY and not self.repeat_week_of_month:
                errors["repeat_week_of_month"] = _("Choose which week of the month the event is on.")
            if not self.repeat_until:
                errors["repeat_until"] = _("Choose the last date of a repeating event.")
            elif self.start_date and self.repeat_until < self.start_date:
                errors["repeat_until"] = _("The last date cannot be before the first date.")
        if errors:
            raise ValidationError(errors)
        if self.start_date and self.start_time and self.end_time:
            rule = self.build_rule()
            starts = recurrence.rule_starts(rule, self.start_date, self.start_time)
            if rule and not starts:
                raise ValidationError(
                    {"repeat": _("This rule gives no date between the first and last dates.")}
                )
            if len(starts) > recurrence.MAX_OCCURRENCES:
                raise ValidationError(
                    {
                        "repeat_until": _(
                            "This rule gives more than %(max)d dates. Please choose an earlier last date."
                        )
                        % {"max": recurrence.MAX_OCCURRENCES}
                    }
                )

    def save(self, *args, **kwargs):
        self.recurrence_rule = self.build_rule()
        return super().save(*args, **kwargs)

    # -- registration (coordination/signups) -------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.takes_signups():
            slots = list(open_slots(self)[:12])
            for slot in slots:
                slot.availability = availability(slot)
            context["registration_slots"] = slots
            by_date = {timezone.localtime(slot.starts_at).date(): slot.availability for slot in slots}
            context["places_by_date"] = by_date
            context["may_see_applicants"] = may_see_applicants(request.user, self)
        return context

    #: One date per registration; registering for another date is another registration.
    signup_multiple = False
    #: Only the next REGISTRATION_DATES dates are offered; the nightly job offers the following.
    signup_slots_roll_forward = True

    @property
    def signup_slot_label(self):
        return _("Date")

    def takes_signups(self) -> bool:
        return bool(self.registration)

    def signup_contact(self) -> str:
        lines = [f"{o.name} {o.public_phone}".strip() for o in self.organisers.all() if o.public_phone]
        return "\n".join(lines)

    def signup_slot_specs(self) -> list[SlotSpec]:
        lottery = self.registration == Registration.LOTTERY
        return [
            SlotSpec(
                key=occurrence.start.date().isoformat(),
                label=f"{ja_date(occurrence.start)} {occurrence.start:%H:%M}〜{occurrence.end:%H:%M}",
                starts_at=occurrence.start,
                ends_at=occurrence.end,
                weekday=occurrence.start.weekday(),
                start_time=self.start_time,
                place=self.place,
                capacity=self.registration_capacity,
                waitlist=self.registration_waitlist,
                lottery=lottery,
                deadline=self.registration_deadline,
            )
            for occurrence in self.upcoming_occurrences(limit=REGISTRATION_DATES)
        ]


class EventIndexPage(Page):
    """区全体の催し: ward-wide events live here, approved by the network admins.

    Its template lists the next ward-wide events (templatetags/event_listing.py)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1
    template = "events/event_index_page.html"

    class Meta:
        verbose_name = _("ward-wide events page")


class EventDate(Orderable):
    """A date added to the event or taken out of it (a holiday, say), at the event's usual times."""

    class Kind(models.TextChoices):
        EXTRA = "extra", _("Extra date")
        EXCEPTION = "exception", _("No event on this date")

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EXTRA)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("kind")])]

    class Meta(Orderable.Meta):
        verbose_name = _("date")
        verbose_name_plural = _("dates")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} ({self.get_kind_display()})"
