"""The LINE official account in the demo: the budget of the free plan, followers with their choices,
and a fiscal year of weekly messages sent (counts only), so the admins' page and the report's
③ information work are filled. `make run-line` points the site at the local fake of the
Messaging API (`manage.py run_fake_line`), never at LINE."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from areas.models import AreaPage
from common.fiscal import fiscal_year, fiscal_year_range
from coordination.line.models import Follower, LineBatch, LineBudget, LineMessage, Priority

#: (areas by code, bands, interests): parents of each age, a grandparent, a would-be volunteer.
DEMO_FOLLOWERS = [
    (["area-01"], ["age_0"], ["events"]),
    (["area-01"], ["age_1"], ["events", "training"]),
    (["area-01", "area-02"], ["age_1", "age_3_plus"], ["events"]),
    (["area-02"], ["pregnancy"], ["events", "training"]),
    (["area-02"], ["age_2"], ["events"]),
    (["area-03"], ["age_0"], ["events"]),
    (["area-03"], ["age_3_plus"], ["events", "volunteering"]),
    (["area-04"], ["age_1"], ["events"]),
    (["area-05"], ["supporter"], ["volunteering", "training"]),
    ([], ["supporter"], ["volunteering"]),
    ([], ["age_0", "age_2"], ["events"]),
    (["area-06"], ["age_1"], ["events", "volunteering", "training"]),
]


def _followers() -> int:
    areas = {area.code: area for area in AreaPage.objects.all()}
    for n, (codes, bands, interests) in enumerate(DEMO_FOLLOWERS):
        follower, created = Follower.objects.get_or_create(
            line_user_id=f"Udemo{n:028x}",
            defaults={"bands": bands, "interests": interests, "step": Follower.Step.DONE},
        )
        if created:
            follower.areas.set([areas[code] for code in codes if code in areas])
    # One person who followed a moment ago and has not finished choosing.
    Follower.objects.get_or_create(line_user_id=f"Udemo{99:028x}", defaults={"step": Follower.Step.BANDS})
    return len(DEMO_FOLLOWERS)


def _history(people: int) -> None:
    """One weekly message every Friday from the start of the fiscal year until last week."""
    today = timezone.localdate()
    first, _last = fiscal_year_range(fiscal_year(today))
    friday = first + timedelta(days=(4 - first.weekday()) % 7)
    tz = timezone.get_current_timezone()
    while friday < today:
        year, week, _day = friday.isocalendar()
        message, created = LineMessage.objects.get_or_create(
            key=f"demo:weekly:{year}-W{week:02d}",
            defaults={
                "priority": Priority.WEEKLY,
                "title": f"週1回のお知らせ {year}年第{week:02d}週",
                "payload": [{"type": "text", "text": "今週のつなぐ（デモ）"}],
            },
        )
        if created:
            sent_at = timezone.make_aware(datetime.combine(friday, time(10)), tz)
            LineBatch.objects.create(
                message=message,
                number=1,
                size=people,
                priority=Priority.WEEKLY,
                state=LineBatch.State.SENT,
                month=sent_at.strftime("%Y-%m"),
                sent_at=sent_at,
            )
            LineMessage.objects.filter(pk=message.pk).update(created_at=sent_at)
        friday += timedelta(days=7)


def load_demo_line() -> None:
    LineBudget.objects.get_or_create(pk=1, defaults={"monthly_budget": 200, "picks_per_message": 5})
    _history(_followers())
