"""Where sessions are held and what they belong to: the hub's facilities and the places it goes
to (本拠点, サテライト, 地域ケアプラザ, 公園), and the projects of its contract (事業の内容), both
data the hub edits. A session names its facility; a programme type belongs to one project."""

import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class Project(models.Model):
    """One of the hub's projects (事業の内容), in the contract's order: 親子の居場所事業 …"""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, help_text=_("The order in the report.")
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("As the contract says it, e.g. 乳幼児の遊びと育ちの場…の提供.")
    )
    short_name = models.CharField(_("short name"), max_length=60, help_text=_("E.g. 親子の居場所事業."))

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.short_name}"


#: The seed's seven projects (令和7年度重点目標評価結果, 事業の内容): (number, name, short name).
SEEDED_PROJECTS = [
    (1, "乳幼児の遊びと育ちの場及びその養育者の交流の場の提供", "親子の居場所事業"),
    (2, "子育てに関する相談及び関係機関との連携に関すること", "子育て相談事業"),
    (3, "子育てに関する情報の収集及び提供に関すること", "情報収集・提供事業"),
    (4, "子育てに関する支援活動を行う者同士の連携に関すること", "支援者ネットワーク事業"),
    (5, "子育てに関する支援活動を行う者の育成、支援に関すること", "人材育成、活動支援事業"),
    (
        6,
        "地域の住民同士で子どもを預け、預かる支え合いの促進に関すること",
        "横浜子育てサポートシステム区支部事務局運営事業",
    ),
    (7, "子育て家庭のニーズに応じた施設・事業等の利用の支援に関すること", "利用者支援事業"),
]

#: The project of each seeded programme type (models.SEEDED_TYPES), by the project's number.
SEEDED_TYPE_PROJECTS = {
    "outreach_playroom": 1,
    "outdoor_play": 1,
    "playroom_salon": 1,
    "course": 1,
    "gathering": 1,
    "event": 4,
    "liaison_meeting": 4,
    "volunteering": 5,
    "training": 6,
}


def normalised(text: str) -> str:
    """A place's name as compared: full-width letters and digits folded, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


class Facility(models.Model):
    """A facility of the hub or a place it holds sessions at. The hub's two facilities are
    written by their short names in the yearly document (本拠点, サテライト, 両拠点); care plazas
    are counted per plaza (13地域ケアプラザ別), other places as places (3か所)."""

    class Kind(models.TextChoices):
        MAIN_BASE = "main_base", _("Main base (本拠点)")
        SATELLITE = "satellite", _("Satellite (サテライト)")
        CARE_PLAZA = "care_plaza", _("Community care plaza")
        PARK = "park", _("Park")
        OTHER = "other", _("Other place")

    #: The hub's own facilities: together they are 「両拠点」.
    HUBS = (Kind.MAIN_BASE, Kind.SATELLITE)

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("How the yearly document names it, e.g. 本拠点."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    area = models.ForeignKey(
        "areas.AreaPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilities",
        verbose_name=_("area"),
        help_text=_("Leave empty for a place that serves the whole ward."),
    )
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Other ways pages write its name, one per line: sessions held there are attributed to it."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("facility or place")
        verbose_name_plural = _("facilities and places")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_hub(self) -> bool:
        return self.kind in self.HUBS

    def names(self) -> list[str]:
        """Its name, short name and other names, as compared with a page's place."""
        found = [self.name, self.short_name, *self.aliases.splitlines()]
        return [normalised(name) for name in found if normalised(name)]


def facility_matching(place: str, facilities) -> "Facility | None":
    """The facility a page's place names: one of its names exactly, else the one whose longest
    name the place contains (「本拠点 2階」); None when none does."""
    wanted = normalised(place)
    if not wanted:
        return None
    best, best_length = None, 0
    for facility in facilities:
        for name in facility.names():
            if name == wanted:
                return facility
            if name in wanted and len(name) > best_length:
                best, best_length = facility, len(name)
    return best


class FamilyMark(models.Model):
    """バトンタッチ: that one family registered for a programme type in a fiscal year, as a keyed
    hash of the registration's contact address (HMAC, key from the environment; never the
    address). Kept until the year's document no longer needs it (continuity.py)."""

    fiscal_year = models.PositiveSmallIntegerField()
    programme_type = models.ForeignKey("activity.ProgrammeType", on_delete=models.CASCADE, related_name="+")
    family = models.CharField(max_length=64)
    #: The first date of the type's sessions this family registered for in the year.
    first_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "programme_type", "family"], name="one_mark_per_family_type_year"
            )
        ]

    def __str__(self):
        return f"{self.fiscal_year} {self.programme_type_id}"


class FamilyCount(models.Model):
    """What the marks of a year counted, kept when the marks are deleted: numbers only."""

    fiscal_year = models.PositiveSmallIntegerField()
    programme_type = models.ForeignKey("activity.ProgrammeType", on_delete=models.CASCADE, related_name="+")
    families = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "programme_type"], name="one_count_per_type_year")
        ]

    def __str__(self):
        return f"{self.fiscal_year} {self.programme_type_id}: {self.families}"
