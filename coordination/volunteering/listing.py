"""Open postings, filtered the way people look for something they can do."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.signups.filters import TIMES_OF_DAY, WhereAndWhenFilter
from coordination.volunteering.models import ActivityKind, VolunteerPostingPage


class PostingFilter(WhereAndWhenFilter):
    kind = forms.ChoiceField(
        choices=[("", _("Any activity")), *ActivityKind.choices], required=False, label=_("Kind of activity")
    )
    field_order = ["area", "kind", "weekday", "time"]


def open_postings(area=None, kind="", weekday=None, time="", now=None):
    """Live public postings still taking applications, soonest deadline first.

    Day and time look at the posting's open shifts (their `Slot` rows), so "Sunday evening"
    finds a posting with one Sunday-evening shift among weekday ones.
    """
    now = now or timezone.now()
    postings = VolunteerPostingPage.objects.live().public().filter(deadline__gte=timezone.localdate(now))
    if area is not None:
        postings = postings.filter(Q(areas=area) | Q(areas__isnull=True))
    if kind:
        postings = postings.filter(activity_kind=kind)
    shift = Q(signup_slots__is_open=True)
    if weekday is not None:
        shift &= Q(signup_slots__weekday=weekday)
    if time:
        start, end = TIMES_OF_DAY[time]
        shift &= Q(signup_slots__start_time__hour__gte=start, signup_slots__start_time__hour__lt=end)
    if weekday is not None or time:
        postings = postings.filter(shift)
    return postings.distinct().prefetch_related("organisers", "areas", "shifts").order_by("deadline", "pk")
