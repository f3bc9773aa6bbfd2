"""Building volunteer postings for tests the way an editor would: rows, then publish."""

from datetime import time, timedelta

from django.utils import timezone

from areas.tests.factories import OrganisationFactory
from coordination.volunteering.models import PostingShift, VolunteerPostingPage


def make_posting(
    parent, *, title="ひろばの準備ボランティア", organisation=None, shifts=None, publish=True, **fields
):
    """A published posting under `parent` with shifts (dicts of PostingShift fields)."""
    today = timezone.localdate()
    values = {
        "activity_kind": "playroom",
        "what_you_do": "マットとおもちゃを並べ、子どもと遊び、片付けをします。",
        "schedule": "毎月第2火曜 9:30〜12:00",
        "place": "今宿西地域ケアプラザ 多目的室",
        "duration": "1回2時間半",
        "for_seniors": True,
        "support": "初回はスタッフが一緒に回ります。ボランティア保険は拠点で加入します。",
        "contact": "子育て支援拠点 045-000-0000（平日9時〜17時）",
        "deadline": today + timedelta(days=10),
        **fields,
    }
    if shifts is None:
        shifts = [
            {
                "date": today + timedelta(days=14),
                "start_time": time(9, 30),
                "end_time": time(12),
                "capacity": 2,
            }
        ]
    page = VolunteerPostingPage(title=title, live=False, **values)
    in_area = parent.specific_class.__name__ == "AreaPage"
    page.organisers = [organisation or OrganisationFactory(areas=[parent] if in_area else None)]
    page.areas = [parent] if in_area else []
    page.shifts = [PostingShift(**shift) for shift in shifts]
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page
