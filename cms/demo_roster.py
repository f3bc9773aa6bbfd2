"""A few people on the volunteer roster, with their consent, so the demo coordinator and the
network admin open a filled roster page. The names and addresses are invented (example.jp)."""

from datetime import timedelta

from django.utils import timezone

from areas.models import AreaPage
from coordination.signups.models import RosterEntry
from coordination.signups.services import roster_entry_save
from coordination.volunteering.models import ActivityKind, VolunteerPostingPage

#: (name, e-mail, phone, area codes, kinds of activity, days since they joined)
DEMO_ROSTER = [
    ("今宿 さくら", "sakura.roster@example.jp", "090-0000-1001", ("area-01",), ("playroom",), 40),
    ("旭 みのる", "minoru.roster@example.jp", "", ("area-01",), ("playroom", "outdoor"), 25),
    ("鶴ヶ峰 ゆい", "yui.roster@example.jp", "080-0000-1003", ("area-01",), ("providing_member",), 12),
    ("白根 けんた", "kenta.roster@example.jp", "070-0000-1004", ("area-02",), ("festival",), 5),
]


def load_demo_roster() -> None:
    """Adds the people not yet on the roster; never changes an entry that exists."""
    posting = VolunteerPostingPage.objects.filter(slug="hiroba-volunteer").first()
    now = timezone.now()
    for name, email, phone, codes, kinds, days in DEMO_ROSTER:
        if RosterEntry.objects.filter(email=email).exists():
            continue
        roster_entry_save(
            name=name,
            email=email,
            phone=phone,
            areas=list(AreaPage.objects.filter(code__in=codes)),
            interests={kind: str(ActivityKind(kind).label) for kind in kinds},
            consent_at=now - timedelta(days=days),
            consent_version=RosterEntry.CONSENT_VERSION,
            joined_from=posting,
        )
