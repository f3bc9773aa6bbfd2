"""The activity ledger for the yearly evaluation (評価): what was held, of which programme type,
where, and how many came. No personal data: a session's headcount outlives its applicants.

Programme types are data the hub edits. Each event, posting and meeting has one; their apps
keep one `Session` per occurrence, shift or meeting date in step (services.sessions_sync).
`Target` holds what the hub set out to do in a fiscal year, per area and programme type.
"""

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.fiscal import fiscal_year

#: A session starting at this time or later is held in the evening (夕方開催).
EVENING = time(17, 0)


class Notation(models.TextChoices):
    """How a programme's sessions are written in the yearly document (notation.py)."""

    TOTAL = "total", _("Total: (両拠点)計8回; places: (6か所 年間各2～10回)")
    EACH = "each", _("Each: (両拠点)各1回")
    SEPARATELY = "separately", _("Separately: 本拠点12回、サテライト12回")
    ABOUT = "about", _("About: (13地域ケアプラザ別 各2回程度)")


class ProgrammeType(models.Model):
    """出張ひろば, そとあそび, 講座…: the kinds of programme the yearly report counts by."""

    class Kind(models.TextChoices):
        """The few types the report treats in their own way; every other type is "other"."""

        LIAISON_MEETING = "liaison_meeting", _("Liaison meeting")
        TRAINING = "training", _("Training")
        VOLUNTEERING = "volunteering", _("Volunteering")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("counted as"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Untick to stop offering it for new pages; counts stay.")
    )
    #: Stable name of a type seeded by the migration, for defaults and demo data; None otherwise.
    code = models.CharField(max_length=30, unique=True, null=True, blank=True, editable=False)
    #: 事業の内容: the project it belongs to. Required in the admin; empty only for a type made in code.
    project = models.ForeignKey(
        "activity.Project",
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="programme_types",
        verbose_name=_("project"),
    )
    #: バトンタッチ: the programme for the next age, which families go on to (0歳 → 1歳).
    next_programme = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="previous_programmes",
        verbose_name=_("next age programme"),
        help_text=_(
            "Families who register for this and then for the next in a year are counted (バトンタッチ)."
        ),
    )
    notation = models.CharField(
        _("written in the yearly document as"),
        max_length=20,
        choices=Notation.choices,
        default=Notation.TOTAL,
        help_text=_("How the sessions at both bases, or at several places, are written."),
    )

    class Meta:
        verbose_name = _("programme type")
        verbose_name_plural = _("programme types")
        ordering = ["project__number", "sort_order", "name"]

    def __str__(self):
        return self.name


#: The types the hub's report names, as the data migration seeds them: (code, name, kind).
SEEDED_TYPES = [
    ("outreach_playroom", "出張ひろば", "other"),
    ("outdoor_play", "そとあそび", "other"),
    ("playroom_salon", "親子ひろば・サロン", "other"),
    ("course", "講座（ぷれパパぷれママ講座など）", "other"),
    ("gathering", "交流会", "other"),
    ("training", "研修（提供会員予定者研修など）", "training"),
    ("liaison_meeting", "エリア別連携会議", "liaison_meeting"),
    ("event", "イベント・フェスティバル", "other"),
    ("volunteering", "ボランティア活動", "volunteering"),
]


def programme_types_seed() -> dict[str, int]:
    """Create the seeded types that are missing (a database emptied by a flush, say); never
    renames what the hub edited. Returns their ids by code."""
    ids = dict(ProgrammeType.objects.filter(code__isnull=False).values_list("code", "pk"))
    for order, (code, name, kind) in enumerate(SEEDED_TYPES, start=1):
        if code not in ids:
            # A type the hub added under the same name becomes the seeded one.
            found, _created = ProgrammeType.objects.get_or_create(
                name=name, defaults={"kind": kind, "sort_order": order * 10}
            )
            ProgrammeType.objects.filter(pk=found.pk).update(code=code)
            ids[code] = found.pk
    projects = projects_seed()
    for code, number in SEEDED_TYPE_PROJECTS.items():
        ProgrammeType.objects.filter(code=code, project__isnull=True).update(project_id=projects[number])
    return ids


def projects_seed() -> dict[int, int]:
    """Create the seed's seven projects that are missing; returns their ids by number."""
    ids = dict(Project.objects.values_list("number", "pk"))
    for number, name, short_name in SEEDED_PROJECTS:
        if number not in ids:
            ids[number] = Project.objects.create(number=number, name=name, short_name=short_name).pk
    return ids


def programme_type_id(code: str) -> int | None:
    """The id of the seeded type with this code: the default of a page's programme type."""
    found = ProgrammeType.objects.filter(code=code).values_list("pk", flat=True).first()
    if found is None and any(code == seeded for seeded, _name, _kind in SEEDED_TYPES):
        found = programme_types_seed()[code]
    return found


#: The numbers of a headcount, the same for recording them and for adding them up.
COUNT_FIELDS = (
    "adults",
    "children_0",
    "children_1",
    "children_2",
    "children_3_plus",
    "expectant",
    "first_time",
    "volunteers",
    "registered",
    "attended",
    "no_show",
)


class Session(models.Model):
    """One held (or planned) session, and its headcount once someone records it.

    A page's sessions are keyed by `key` (an event's date, a shift's slot key), so publishing
    again updates them instead of adding more. No areas means ward-wide.
    """

    programme_type = models.ForeignKey(
        ProgrammeType, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("programme type")
    )
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    areas = models.ManyToManyField(
        "areas.AreaPage", blank=True, related_name="activity_sessions", verbose_name=_("areas")
    )
    organisations = models.ManyToManyField(
        "areas.PartnerOrganisation",
        blank=True,
        related_name="activity_sessions",
        verbose_name=_("organisations"),
    )
    #: Who came, for a meeting closed out after it (core members counted per area and year).
    attending_organisations = models.ManyToManyField(
        "areas.PartnerOrganisation",
        blank=True,
        related_name="attended_sessions",
        verbose_name=_("organisations attending"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=255)
    #: Where it was held, as the page said: the report counts the places (会場数) of a type.
    place = models.CharField(_("place"), max_length=200, blank=True)
    #: The facility or place it was held at (本拠点, a care plaza, a park); None for old rows.
    facility = models.ForeignKey(
        "activity.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("facility or place"),
    )
    is_sunday = models.BooleanField(_("on a Sunday"), default=False, editable=False)
    is_saturday = models.BooleanField(_("on a Saturday"), default=False, editable=False)
    is_evening = models.BooleanField(_("in the evening"), default=False, editable=False)

    # The headcount: numbers only.
    adults = models.PositiveIntegerField(_("adults"), default=0)
    children_0 = models.PositiveIntegerField(_("children aged 0"), default=0)
    children_1 = models.PositiveIntegerField(_("children aged 1"), default=0)
    children_2 = models.PositiveIntegerField(_("children aged 2"), default=0)
    children_3_plus = models.PositiveIntegerField(_("children aged 3 and over"), default=0)
    expectant = models.PositiveIntegerField(_("expectant parents"), default=0)
    first_time = models.PositiveIntegerField(_("first-time visitors"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteers who helped"), default=0)
    #: Places taken on the page's registration when the headcount was recorded; None without one.
    registered = models.PositiveIntegerField(_("registered"), null=True, blank=True)
    attended = models.PositiveIntegerField(_("registered and came"), null=True, blank=True)
    no_show = models.PositiveIntegerField(_("registered and did not come"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    #: A training session's outcome (研修 → 提供会員), numbers only, None until recorded: how
    #: many completed the training, and later how many of them registered with 横浜子育て
    #: サポートシステム. The yearly report's providing-member pipeline adds them up.
    trained = models.PositiveIntegerField(_("completed the training"), null=True, blank=True)
    providers_registered = models.PositiveIntegerField(
        _("registered as providing members"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "key"], condition=Q(page__isnull=False), name="unique_session_key_per_page"
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def save(self, *args, **kwargs):
        self.is_sunday = self.date.weekday() == 6
        self.is_saturday = self.date.weekday() == 5
        self.is_evening = self.start_time is not None and self.start_time >= EVENING
        return super().save(*args, **kwargs)

    def clean(self):
        """A session of a closed fiscal year is neither added nor changed, nor moved into one."""
        super().clean()
        days = {self.date} if self.date else set()
        if self.pk:
            days |= set(Session.objects.filter(pk=self.pk).values_list("date", flat=True))
        years = OpenYears()
        for day in sorted(days):
            if not years.is_open_on(day):
                raise ValidationError(closed_year_message(fiscal_year(day)))

    @property
    def is_internal(self) -> bool:
        """An activity recorded in the admin, not a page's date: it is on no public page."""
        return self.page_id is None

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None

    @property
    def children(self) -> int:
        return self.children_0 + self.children_1 + self.children_2 + self.children_3_plus

    @property
    def participants(self) -> int:
        """Everyone who came to take part: adults, children and expectant parents."""
        return self.adults + self.children + self.expectant


class Target(models.Model):
    """What the hub set out to do in a fiscal year: 出張ひろば 3 places × 12 sessions, about 2
    liaison meetings per area, N providing members registered. No area is ward-wide; no
    programme type is a metric across types (providing members registered, say)."""

    class Metric(models.TextChoices):
        SESSIONS = "sessions", _("Sessions")
        PARTICIPANTS = "participants", _("Participants")
        PLACES = "places", _("Places (venues)")
        MEETINGS = "meetings", _("Meetings")
        PROVIDERS_REGISTERED = "providers_registered", _("Providing members registered")
        VOLUNTEERS = "volunteers", _("Volunteers")
        SUNDAY_SESSIONS = "sunday_sessions", _("Sunday sessions")
        SATURDAY_SESSIONS = "saturday_sessions", _("Saturday sessions")
        EVENING_SESSIONS = "evening_sessions", _("Evening sessions")
        TURNOUT = "turnout", _("Turnout per session")
        SUNDAY_TURNOUT = "sunday_turnout", _("Turnout per Sunday session")
        SATURDAY_TURNOUT = "saturday_turnout", _("Turnout per Saturday session")
        EVENING_TURNOUT = "evening_turnout", _("Turnout per evening session")

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"),
        validators=[MinValueValidator(2019)],
        help_text=_("The Western year in which it starts: 2026 for 令和8年度 (April 2026 to March 2027)."),
    )
    area = models.ForeignKey(
        "areas.AreaPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activity_targets",
        verbose_name=_("area"),
        help_text=_("Leave empty for the whole ward."),
    )
    programme_type = models.ForeignKey(
        ProgrammeType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("programme type"),
        help_text=_("Leave empty for a target across programme types."),
    )
    metric = models.CharField(_("what is counted"), max_length=30, choices=Metric.choices)
    value = models.PositiveIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-fiscal_year", "area__title", "programme_type__sort_order", "metric"]
        # One target per year, area, type and metric; an empty area or type is a value of its own,
        # which a plain unique constraint would not see (NULLs are distinct in SQL).
        constraints = [
            models.UniqueConstraint(
                fields=fields,
                condition=Q(**{f"{name}__isnull": name not in fields for name in ("area", "programme_type")}),
                name=f"unique_target_{suffix}",
                violation_error_message=_("There is already a target for this year, area, type and metric."),
            )
            for fields, suffix in (
                (["fiscal_year", "area", "programme_type", "metric"], "per_area_and_type"),
                (["fiscal_year", "programme_type", "metric"], "ward_wide_per_type"),
                (["fiscal_year", "area", "metric"], "per_area_across_types"),
                (["fiscal_year", "metric"], "ward_wide_across_types"),
            )
        ]

    def __str__(self):
        return f"{self.fiscal_year} {self.get_metric_display()}: {self.value}"


class LiaisonDeadline(models.Model):
    """The date by which every area should have held a liaison meeting in a fiscal year: the
    report flags the areas without one, and their coordinators are told once, the day after."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), unique=True, validators=[MinValueValidator(2019)]
    )
    due = models.DateField(_("liaison meeting held by"))
    #: When the coordinators of the flagged areas were told; None until then.
    notified_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("liaison meeting deadline")
        verbose_name_plural = _("liaison meeting deadlines")
        ordering = ["-fiscal_year"]

    def __str__(self):
        return f"{self.fiscal_year}: {self.due:%Y-%m-%d}"


# The survey pages live in their own module; imported here so Django finds their models.
from coordination.activity.facilities import (  # noqa: E402, F401
    SEEDED_PROJECTS,
    SEEDED_TYPE_PROJECTS,
    Facility,
    FamilyCount,
    FamilyMark,
    Project,
)

# The survey pages and the year's bookkeeping live in their own modules; imported here so
# Django finds their models.
from coordination.activity.records import (  # noqa: E402, F401
    FiscalYearStatus,
    InformationWork,
    OpenYears,
    closed_year_message,
)
from coordination.activity.surveys import SurveyAnswer, SurveyPage, SurveyQuestion  # noqa: E402, F401
