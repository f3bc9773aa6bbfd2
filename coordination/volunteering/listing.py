"""Open postings, filtered the way people look for something they can do."""

from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.access import public_pages
from coordination.signups.filters import TIMES_OF_DAY, WhereAndWhenFilter
from coordination.signups.models import Slot
from coordination.volunteering.models import ActivityKind, VolunteerPostingPage

#: Who a posting suits, as people filter for it: the value in the address → the posting's field.
SUITS = {"students": "for_students", "parents": "for_parents", "seniors": "for_seniors"}


class PostingFilter(WhereAndWhenFilter):
    kind = forms.ChoiceField(
        choices=[("", _("Any activity")), *ActivityKind.choices], required=False, label=_("Kind of activity")
    )
    suits = forms.ChoiceField(
        choices=[
            ("", _("Anyone")),
            ("students", _("Suits students")),
            ("parents", _("Suits parents")),
            ("seniors", _("Suits seniors")),
        ],
        required=False,
        label=_("Who it suits"),
    )
    field_order = ["area", "kind", "suits", "weekday", "time"]


def _shift_filter(weekday, time, prefix="") -> Q:
    """The open shifts on that day of the week and at that time of day."""
    shift = Q(**{f"{prefix}is_open": True})
    if weekday is not None:
        shift &= Q(**{f"{prefix}weekday": weekday})
    if time:
        start, end = TIMES_OF_DAY[time]
        shift &= Q(**{f"{prefix}start_time__hour__gte": start, f"{prefix}start_time__hour__lt": end})
    return shift


def open_postings(area=None, kind="", weekday=None, time="", suits="", now=None):
    """Live public postings still taking applications, soonest deadline first.

    Day and time look at the posting's open shifts (their `Slot` rows), so "Sunday evening"
    finds a posting with one Sunday-evening shift among weekday ones; each posting then carries
    those shifts as `matching_shifts`, so the list can say why it matched (the Sunday shift, not
    the posting's 「毎月第2火曜」).
    """
    now = now or timezone.now()
    postings = public_pages(VolunteerPostingPage.objects.live()).filter(deadline__gte=timezone.localdate(now))
    if area is not None:
        postings = postings.filter(Q(areas=area) | Q(areas__isnull=True))
    if kind:
        postings = postings.filter(activity_kind=kind)
    if suits in SUITS:
        postings = postings.filter(**{SUITS[suits]: True})
    related = ["organisers", "areas", "shifts"]
    if weekday is not None or time:
        postings = postings.filter(_shift_filter(weekday, time, prefix="signup_slots__"))
        matching = Slot.objects.filter(_shift_filter(weekday, time)).order_by("sort_order", "starts_at", "pk")
        related.append(Prefetch("signup_slots", queryset=matching, to_attr="matching_shifts"))
    return postings.distinct().prefetch_related(*related).order_by("deadline", "pk")
