"""The weekly picks: a follower of area A with a 1-year-old gets A's events for that age, not B's;
one multicast per choice and batch, each link carrying the channel code."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coordination.events.models import AgeBand
from coordination.events.tests.test_events_feeds import make_event
from coordination.line import planning, tasks
from coordination.line.models import Follower, LineBatch

pytestmark = pytest.mark.django_db


def _event(area, title, bands, days=2):
    event = make_event(
        area,
        title=title,
        areas=[area],
        live=False,
        repeat="",
        start_date=timezone.localdate() + timedelta(days=days),
    )
    event.age_bands = list(AgeBand.objects.filter(key__in=bands))
    event.save_revision().publish()
    return event


def _follower(user_id, areas, bands=("age_1",), interests=("events",)):
    follower = Follower.objects.create(
        line_user_id=user_id, bands=list(bands), interests=list(interests), step=Follower.Step.DONE
    )
    follower.areas.set(areas)
    return follower


def _text(api, user_id) -> str:
    received = api.received_by(user_id)
    assert len(received) == 1, received
    return "\n".join(message["text"] for message in received[0])


def test_a_follower_of_area_a_with_a_one_year_old_gets_a_and_not_b(line_api, area_a, area_b):
    _event(area_a, "今宿西 1歳児のリトミック", ["age_1"])
    _event(area_b, "白根 1歳児のリトミック", ["age_1"])
    _event(area_a, "今宿西 3歳からのおはなし会", ["age_3_plus"])
    _event(area_a, "今宿西 来月の親子ひろば", ["age_1"], days=20)  # not this week
    _follower("U-area-a", [area_a])
    _follower("U-area-b", [area_b])

    assert planning.weekly_plan() == 2
    tasks.send_planned()

    text = _text(line_api, "U-area-a")
    assert "今宿西 1歳児のリトミック" in text
    assert "白根" not in text
    assert "3歳から" not in text and "来月" not in text
    assert "ch=line" in text and text.count("http") == 1
    assert "白根 1歳児のリトミック" in _text(line_api, "U-area-b")
    # Two choices, two multicast calls; nothing sent one person at a time.
    assert len(line_api.calls("/v2/bot/message/multicast")) == 2
    assert not line_api.calls("/v2/bot/message/push")
    assert LineBatch.objects.filter(state=LineBatch.State.SENT).count() == 2


def test_the_week_is_sent_once_whatever_is_run_again(line_api, area_a):
    _event(area_a, "今宿西 1歳児のリトミック", ["age_1"])
    _follower("U-once", [area_a])
    planning.weekly_plan()
    tasks.send_planned()
    assert planning.weekly_plan() == 0
    tasks.send_planned()
    tasks.weekly_picks()
    assert len(line_api.received_by("U-once")) == 1


def test_followers_with_the_same_choice_share_multicast_batches(line_api, area_a, settings):
    settings.LINE_MULTICAST_BATCH = 3
    _event(area_a, "今宿西 1歳児のリトミック", ["age_1"])
    for n in range(7):
        _follower(f"U-same-{n}", [area_a])
    planning.weekly_plan()
    tasks.send_planned()
    calls = line_api.calls("/v2/bot/message/multicast")
    assert [len(call["body"]["to"]) for call in calls] == [3, 3, 1]
    assert all(call["headers"]["Authorization"] == f"Bearer {line_api.token}" for call in calls)
    assert len({call["headers"]["X-Line-Retry-Key"] for call in calls}) == 3
    # Once LINE has them, the batches keep only how many, not who.
    assert list(LineBatch.objects.values_list("recipients", flat=True)) == [[], [], []]


def test_volunteering_and_trainings_go_to_those_who_asked(line_api, full_demo):
    from coordination.volunteering.listing import open_postings

    if not open_postings().exists():
        pytest.skip("the demo has no open posting")
    _follower("U-supporter", [], bands=["supporter"], interests=["volunteering", "training"])
    _follower("U-parent-events-only", [], bands=["age_1"], interests=["events"])
    planning.weekly_plan()
    tasks.send_planned()
    supporter = _text(line_api, "U-supporter")
    assert "ch=line" in supporter
    posting_titles = [p.title for p in open_postings()]
    assert any(title[:20] in supporter for title in posting_titles)
    parent = "\n".join(m["text"] for msgs in line_api.received_by("U-parent-events-only") for m in msgs)
    assert not any(title[:20] in parent for title in posting_titles)
