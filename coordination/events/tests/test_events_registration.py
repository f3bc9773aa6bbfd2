"""Registering for an event works like a volunteer application: one date, places, waiting list."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import MembershipFactory, log_in_with_second_factor
from coordination.events.tests.test_events_feeds import make_event
from coordination.notifications.models import Kind, Notification
from coordination.signups import services
from coordination.signups.models import Applicant, Signup, Slot

pytestmark = pytest.mark.django_db


def _event(area, **fields):
    today = timezone.localdate()
    values = {
        "repeat": "",
        "start_date": today + timedelta(days=10),
        "registration": "first_come",
        "registration_capacity": 1,
        **fields,
    }
    event = make_event(area, title="ベビーマッサージ", areas=[area], live=False, **values)
    event.save_revision().publish()
    event.refresh_from_db()
    return event


def _register(client, event, email, name="旭 花子"):
    slot = Slot.objects.filter(page=event).first()
    return client.post(
        reverse("signups:apply", args=[event.pk]),
        {"slots": str(slot.pk), "name": name, "email": email, "consent": "on", "website": ""},
    )


def test_publishing_offers_each_upcoming_date_with_its_places(client, area_a):
    today = timezone.localdate()
    event = _event(
        area_a,
        start_date=today + timedelta(days=3),
        repeat="weekly",
        repeat_weekday=(today + timedelta(days=3)).weekday(),
        repeat_until=today + timedelta(days=3 + 21),
        registration_capacity=15,
    )
    slots = list(Slot.objects.filter(page=event))
    assert len(slots) == 4 and all(slot.capacity == 15 for slot in slots)
    html = client.get(event.url).content.decode()
    assert "先着順" in html and "残り15人" in html
    form = client.get(reverse("signups:apply", args=[event.pk])).content.decode()
    # One date per registration: one select of the four, the next one chosen.
    dates = re.search(r'<select name="slots".*?</select>', form, re.S).group(0)
    assert dates.count("<option value=") == 4 and dates.count("selected") == 1


def test_register_confirm_and_cancel_with_the_waiting_list_moving_up(
    client, area_a, django_capture_on_commit_callbacks
):
    event = _event(area_a)
    organiser = MembershipFactory(organisation=event.organisers.first()).user

    with django_capture_on_commit_callbacks(execute=True):
        first = _register(client, event, "first@example.jp", name="一番")
        second = _register(client, event, "second@example.jp", name="二番")
    assert "確定待ち（仮押さえ）" in client.get(first["Location"]).content.decode()  # not 参加予定 yet
    assert "キャンセル待ち" in client.get(second["Location"]).content.decode()

    confirm = re.search(r"https?://[^/\s]+(/signups/[^/\s]+/confirm/)", mail.outbox[0].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(confirm)
    assert Notification.objects.filter(kind=Kind.APPLICATION, organisation=event.organisers.first()).exists()
    assert organiser.deliveries.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm.replace("confirm/", "withdraw/"), {"signup": "all"})
    waiting = Applicant.objects.get(email="second@example.jp").signups.get()
    assert waiting.status == Signup.Status.PLACED
    assert any(m.to == ["second@example.jp"] and "繰り上がり" in m.subject for m in mail.outbox)


def test_a_full_date_without_waiting_list_or_after_the_deadline_is_refused_clearly(client, area_a):
    event = _event(area_a, registration_waitlist=False)
    _register(client, event, "first@example.jp")
    response = _register(client, event, "second@example.jp", name="二番")
    assert response.status_code == 400
    html = response.content.decode()
    assert "満員" in html and 'value="二番"' in html and 'value="second@example.jp"' in html

    Slot.objects.filter(page=event).update(deadline=timezone.now() - timedelta(minutes=1))
    response = _register(client, event, "third@example.jp", name="三番")
    assert response.status_code == 400
    assert "受付は終了しました" in response.content.decode()
    assert Applicant.objects.count() == 1


def test_a_lottery_is_drawn_after_the_deadline(client, area_a, django_capture_on_commit_callbacks):
    deadline = timezone.now() + timedelta(days=2)
    event = _event(area_a, registration="lottery", registration_capacity=2, registration_deadline=deadline)
    slot = Slot.objects.get(page=event)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            applicant = services.apply(event, slot_ids=[slot.pk], name=f"応募{n}", email=f"p{n}@example.jp")
            services.confirm(applicant)
    assert set(Signup.objects.values_list("status", flat=True)) == {Signup.Status.ENTERED}

    log_in_with_second_factor(client, MembershipFactory(organisation=event.organisers.first()).user)
    too_early = client.post(reverse("signups:draw", args=[event.pk, slot.pk]), follow=True)
    assert "締切の後" in too_early.content.decode()

    Slot.objects.filter(pk=slot.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        drawn = client.post(reverse("signups:draw", args=[event.pk, slot.pk]), follow=True)
    assert "当選2件、落選・キャンセル待ち3件" in drawn.content.decode()
    statuses = sorted(Signup.objects.values_list("status", flat=True))
    assert statuses.count(Signup.Status.PLACED) == 2 and statuses.count(Signup.Status.WAITING) == 3
    assert len(mail.outbox) == 5 and all("抽選結果" in m.subject for m in mail.outbox)


def test_registrants_are_reminded_the_day_before(area_a, django_capture_on_commit_callbacks):
    event = _event(area_a, registration_capacity=10)
    slot = Slot.objects.get(page=event)
    with django_capture_on_commit_callbacks(execute=True):
        applicant = services.apply(event, slot_ids=[slot.pk], name="旭 花子", email="hanako@example.jp")
        services.confirm(applicant)
    mail.outbox.clear()
    day_before = timezone.make_aware(datetime.combine(event.start_date - timedelta(days=1), time(9, 5)))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=day_before - timedelta(days=1)) == 0
        assert services.send_reminders(now=day_before) == 1
    (reminder,) = mail.outbox
    assert "明日" in reminder.subject and "ベビーマッサージ" in reminder.subject
    assert event.place in reminder.body


def test_registration_needs_places_and_a_lottery_needs_a_deadline(area_a):
    event = make_event(area_a, title="抽選の催し", areas=[area_a], repeat="", start_date=date(2026, 12, 20))
    event.registration = "lottery"
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "各日の定員を入れてください" in str(error.value.message_dict["registration_capacity"])
    assert "抽選には申込の締切が必要です" in str(error.value.message_dict["registration_deadline"])


def test_age_in_months_is_said_in_words_on_the_page_and_the_flyer(client, area_a):
    import io

    from pypdf import PdfReader

    event = _event(area_a, age_detail="生後2〜5か月の赤ちゃんと保護者")
    html = client.get(event.url).content.decode()
    assert re.search(r"<dd>0歳、[^<]*（生後2〜5か月の赤ちゃんと保護者）</dd>", html)
    flyer = client.get(reverse("events:flyer_pdf", args=[event.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(flyer.content)).pages)
    assert "生後2〜5か月" in text


def test_a_registrant_changes_the_date_from_the_link_and_their_place_goes_to_the_next(
    client, area_a, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    first_day = today + timedelta(days=3)
    event = _event(
        area_a,
        start_date=first_day,
        repeat="weekly",
        repeat_weekday=first_day.weekday(),
        repeat_until=first_day + timedelta(days=14),
        registration_capacity=1,
    )
    first, second, third = Slot.objects.filter(page=event).order_by("starts_at")
    with django_capture_on_commit_callbacks(execute=True):
        mover = services.apply(event, slot_ids=[first.pk], name="移る人", email="mover@example.jp")
        waiting = services.apply(event, slot_ids=[first.pk], name="待つ人", email="wait@example.jp")
        services.apply(event, slot_ids=[third.pk], name="満員", email="full@example.jp")
    manage = reverse("signups:manage", args=[services.applicant_token(mover)])
    page = client.get(manage).content.decode()
    assert "日程を変更する" in page and second.label in page

    refused = client.post(manage, {"action": "change", "slot": third.pk})  # full: waiting list only
    assert refused.status_code == 400
    assert "満員です。今の日程の枠はそのままです。" in refused.content.decode()
    assert mover.signups.get().slot == first  # nothing changed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage, {"action": "change", "slot": second.pk})

    assert mover.signups.get(slot=second).status == Signup.Status.PLACED
    assert mover.signups.get(slot=first).status == Signup.Status.WITHDRAWN
    assert waiting.signups.get().status == Signup.Status.PLACED  # the first date's place moved up
    assert "変更" in [m for m in mail.outbox if m.to == ["mover@example.jp"]][-1].subject


def test_a_lottery_past_its_deadline_is_drawn_by_the_scheduled_job(
    area_a, django_capture_on_commit_callbacks
):
    deadline = timezone.now() + timedelta(days=1)
    event = _event(area_a, registration="lottery", registration_capacity=1, registration_deadline=deadline)
    slot = Slot.objects.get(page=event)
    member = MembershipFactory(organisation=event.organisers.first()).user
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            services.confirm(
                services.apply(event, slot_ids=[slot.pk], name=f"応募{n}", email=f"p{n}@example.jp")
            )

    assert services.draw_due_lotteries(now=deadline - timedelta(minutes=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.draw_due_lotteries(now=deadline + timedelta(minutes=1)) == 1
        assert services.draw_due_lotteries(now=deadline + timedelta(minutes=16)) == 0  # once
    assert Signup.objects.filter(status=Signup.Status.PLACED).count() == 1
    notice = member.deliveries.filter(notification__title__startswith="抽選しました", channel="inbox").get()
    assert "当選1件、落選・キャンセル待ち2件" in notice.notification.title


def test_the_nightly_job_opens_the_next_dates_of_a_long_running_event(area_a, monkeypatch):
    from coordination.events.registration import REGISTRATION_DATES

    today = timezone.localdate()
    event = _event(
        area_a,
        start_date=today + timedelta(days=1),
        repeat="weekly",
        repeat_weekday=(today + timedelta(days=1)).weekday(),
        repeat_until=today + timedelta(weeks=REGISTRATION_DATES + 10),
        registration_capacity=5,
    )
    offered = set(Slot.objects.filter(page=event, is_open=True).values_list("key", flat=True))
    assert len(offered) == REGISTRATION_DATES

    # Three weeks on, three dates are past and three more are within reach.
    later = timezone.now() + timedelta(weeks=3)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert services.refresh_rolling_slots() == 1
    now_open = set(Slot.objects.filter(page=event, is_open=True).values_list("key", flat=True))
    assert len(now_open) == REGISTRATION_DATES and len(now_open - offered) == 3
