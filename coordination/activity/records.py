"""The ledger's bookkeeping beside the sessions: whether a fiscal year is still open for entry,
and the ③ information work staff record by hand (what Tsunagu does not see itself)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.fiscal import fiscal_year, fiscal_year_label, fiscal_year_range
from common.page_cache import shared_fragment


class FiscalYearStatus(models.Model):
    """A fiscal year closed for entry once its evaluation document is published, or reopened.

    A year without a row is open unless a later year is closed: documents are published in
    order, so closing 令和7年度 closes every earlier year too, and an earlier year is reopened
    with a row of its own (docs/decisions.md, "Issue 26: a fiscal year stays open …")."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), unique=True, validators=[MinValueValidator(2019)]
    )
    closed = models.BooleanField(
        _("closed for entry"),
        default=True,
        help_text=_(
            "Closed when the year's evaluation document is published. Network admins may untick it, "
            "with the reason, to reopen the year for corrections."
        ),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("why it was reopened"), blank=True)

    class Meta:
        verbose_name = _("fiscal year status")
        verbose_name_plural = _("fiscal year statuses")
        ordering = ["-fiscal_year"]

    def __str__(self):
        return fiscal_year_label(self.fiscal_year)


class OpenYears:
    """Which fiscal years are open for entry, read in one query and asked many times (a page's
    dates, a list of sessions)."""

    def __init__(self, *, shared=False):
        """`shared`: read from the page cache's shared fragments (cleared by any write to the
        years), for pages; services that decide a write read the table."""

        def read():
            return dict(FiscalYearStatus.objects.values_list("fiscal_year", "closed"))

        self.explicit = shared_fragment("fiscal-years", read) if shared else read()
        self.latest_closed = max((year for year, closed in self.explicit.items() if closed), default=None)

    def is_open(self, year: int) -> bool:
        if year in self.explicit:
            return not self.explicit[year]
        return self.latest_closed is None or year > self.latest_closed

    def is_open_on(self, day) -> bool:
        return self.is_open(fiscal_year(day))

    def first_open_day(self):
        """The first day of the earliest open year; None while no year is closed (every date is
        open, back to a page's first)."""
        if self.latest_closed is None:
            return None
        reopened = [
            year for year, closed in self.explicit.items() if not closed and year < self.latest_closed
        ]
        return fiscal_year_range(min([self.latest_closed + 1, *reopened]))[0]

    def open_dates(self, field: str = "date") -> Q:
        """A filter for the dates of open years (everything while no year is closed)."""
        if self.latest_closed is None:
            return Q()
        found = Q(**{f"{field}__gte": fiscal_year_range(self.latest_closed + 1)[0]})
        for year, closed in self.explicit.items():
            if not closed and year < self.latest_closed:
                found |= Q(**{f"{field}__range": fiscal_year_range(year)})
        return found


def closed_year_message(year: int) -> str:
    return gettext(
        "%(year)s is closed for entry: its evaluation document is published. Ask a network admin to "
        "reopen the year to add or change its sessions."
    ) % {"year": fiscal_year_label(year)}


class InformationWork(models.Model):
    """③ 情報収集・提供 that Tsunagu does not see: SNS posts, the places where flyers are put up,
    circulars passed round the neighbourhood associations by hand. A count and a date (the first
    of the month will do), no names."""

    class Kind(models.TextChoices):
        SNS_POST = "sns_post", _("SNS posts")
        FLYER_DISPLAY = "flyer_display", _("Places displaying flyers (nurseries, kindergartens, salons)")
        CIRCULAR = "circular", _("Circulars passed round neighbourhood associations")
        NEWSLETTER = "newsletter", _("Newsletters (通信) printed")
        FLYER_HANDOUT = "flyer_handout", _("Flyers handed out")
        OTHER = "other", _("Other information work")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"), help_text=_("The day, or the first of the month for a month's count."))
    count = models.PositiveIntegerField(_("count"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("information work")
        verbose_name_plural = _("information work")
        ordering = ["-date", "kind"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}: {self.count}"

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.date)
