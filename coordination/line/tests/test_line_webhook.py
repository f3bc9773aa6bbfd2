"""The webhook: LINE's signature, events processed once, the short choice by quick replies,
unfollowing deletes what was stored, and a site without LINE credentials says the channel is off."""

import pytest

from coordination.line.models import Follower, WebhookEvent
from coordination.line.tests.conftest import signed

pytestmark = pytest.mark.django_db

USER = "U4af4980629f0e4ab9f1b3a1c1e9c0d12"


def _event(kind, n, **extra):
    return {
        "type": kind,
        "webhookEventId": f"01HEVENT{n:018d}",
        "deliveryContext": {"isRedelivery": False},
        "timestamp": 1765000000000 + n,
        "mode": "active",
        "source": {"type": "user", "userId": USER},
        "replyToken": f"reply-token-{n}",
        **extra,
    }


def _post(client, events, secret=None, django_capture_on_commit_callbacks=None):
    body, signature = signed(events) if secret is None else signed(events, secret)
    return client.post(
        "/line/webhook/", data=body, content_type="application/json", headers={"X-Line-Signature": signature}
    )


def _tap(n, data):
    return _event("postback", n, postback={"data": data})


def _last_reply(api) -> dict:
    return api.calls("/v2/bot/message/reply")[-1]["body"]["messages"][-1]


def test_a_bad_signature_is_refused_with_403_and_nothing_is_stored(client, line_api, demo_site):
    response = _post(client, [_event("follow", 1)], secret="not-the-channel-secret")
    assert response.status_code == 403
    missing = client.post("/line/webhook/", data="{}", content_type="application/json")
    assert missing.status_code == 403
    assert not WebhookEvent.objects.exists() and not Follower.objects.exists()
    assert not line_api.requests


def test_a_replayed_event_is_processed_once(client, line_api, demo_site, django_capture_on_commit_callbacks):
    follow = _event("follow", 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, [follow]).status_code == 200
    redelivered = {**follow, "deliveryContext": {"isRedelivery": True}}
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, [redelivered]).status_code == 200
    assert WebhookEvent.objects.count() == 1
    assert len(line_api.calls("/v2/bot/message/reply")) == 1
    assert Follower.objects.filter(line_user_id=USER).count() == 1
    # What the person sent is not kept once it was answered.
    assert WebhookEvent.objects.get().payload == {}


def test_following_starts_a_short_choice_by_quick_replies(
    client, line_api, area_a, area_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, [_event("follow", 1)])
    question = _last_reply(line_api)
    labels = [item["action"]["label"] for item in question["quickReply"]["items"]]
    assert area_a.title in labels and len(labels) <= 13 and "決定" in labels
    assert "エリア" in question["text"]
    assert line_api.calls("/v2/bot/message/reply")[-1]["headers"]["Authorization"].startswith("Bearer ")

    taps = [
        _tap(2, f"area:{area_a.pk}:0"),
        _tap(3, "area-done"),
        _tap(4, "band:age_1"),
        _tap(5, "band-done"),
        _tap(6, "want:events"),
        _tap(7, "want:training"),
        _tap(8, "want-done"),
    ]
    for tap in taps:
        with django_capture_on_commit_callbacks(execute=True):
            _post(client, [tap])
    follower = Follower.objects.get(line_user_id=USER)
    assert list(follower.areas.all()) == [area_a]
    assert follower.bands == ["age_1"] and follower.interests == ["events", "training"]
    assert follower.step == Follower.Step.DONE
    assert "設定" in _last_reply(line_api)["text"] and area_a.title in _last_reply(line_api)["text"]

    # One word changes it at any time: the areas come back with the chosen one ticked.
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, [_event("message", 9, message={"type": "text", "id": "1", "text": "設定"})])
    labels = [item["action"]["label"] for item in _last_reply(line_api)["quickReply"]["items"]]
    assert "✓" + area_a.title in labels
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, [_tap(10, f"area:{area_a.pk}:0"), _tap(11, f"area:{area_b.pk}:0")])
    assert list(Follower.objects.get().areas.all()) == [area_b]


def test_unfollowing_deletes_the_follower_and_their_choices(
    client, line_api, area_a, django_capture_on_commit_callbacks
):
    follower = Follower.objects.create(line_user_id=USER, bands=["age_1"], interests=["events"], step="done")
    follower.areas.set([area_a])
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, [_event("unfollow", 1)])
    assert not Follower.objects.exists()
    assert not Follower.areas.through.objects.exists()
    assert not line_api.calls("/v2/bot/message/reply")  # nobody to answer


def test_without_credentials_the_site_works_and_says_the_channel_is_off(client, settings, demo_site):
    settings.LINE_CHANNEL_SECRET = ""
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    page = client.get("/line/")
    assert page.status_code == 200 and "停止中" in page.content.decode()
    body, signature = signed([_event("follow", 1)])
    response = client.post(
        "/line/webhook/", data=body, content_type="application/json", headers={"X-Line-Signature": signature}
    )
    assert response.status_code == 404
    assert not Follower.objects.exists()


def test_the_public_page_says_what_is_kept_and_for_how_long(client, line_api, demo_site):
    html = client.get("/line/").content.decode()
    assert "LINEのユーザーID" in html and "ブロック" in html and "削除" in html


def test_processed_event_ids_are_forgotten_after_a_week(
    client, line_api, demo_site, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from coordination.line import webhook

    with django_capture_on_commit_callbacks(execute=True):
        _post(client, [_event("follow", 1)])
    assert webhook.events_forget(now=timezone.now() + timedelta(days=6)) == 0
    assert webhook.events_forget(now=timezone.now() + timedelta(days=8)) == 1
