import smtplib
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from areas.tests.factories import MembershipFactory, log_in_with_second_factor
from coordination.notifications import delivery as delivery_service
from coordination.notifications import tasks
from coordination.notifications.fanout import fan_out, frequencies_for
from coordination.notifications.models import (
    Audience,
    Delivery,
    Frequency,
    Kind,
    Notification,
    NotificationPreference,
)

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def _deliveries(user, channel):
    return Delivery.objects.filter(user=user, channel=channel)


# --- preferences -------------------------------------------------------------------------


def test_a_new_member_gets_sensible_defaults(partner_a, area_a):
    defaults = {
        kind: frequencies_for([partner_a.pk], kind=kind, area_id=area_a.pk)[partner_a.pk] for kind in Kind
    }
    assert defaults[Kind.NEW_MINUTES] == Frequency.IMMEDIATE
    assert defaults[Kind.APPLICATION] == Frequency.IMMEDIATE
    assert defaults[Kind.REMINDER] == Frequency.IMMEDIATE
    assert defaults[Kind.NEW_EVENT] == Frequency.DAILY
    assert defaults[Kind.NEW_POSTING] == Frequency.DAILY


@pytest.mark.parametrize(
    ("frequency", "email_state"),
    [
        (Frequency.IMMEDIATE, Delivery.State.SENT),
        (Frequency.DAILY, Delivery.State.WAITING),
        (Frequency.WEEKLY, Delivery.State.WAITING),
        (Frequency.OFF, None),
    ],
)
def test_each_frequency_per_kind_and_area(partner_a, area_a, announce, mailoutbox, frequency, email_state):
    NotificationPreference.objects.create(
        user=partner_a, kind=Kind.NEW_MINUTES, area=area_a, frequency=frequency
    )

    announce(audience=Audience.AREA_PARTNERS, area=area_a)

    email = _deliveries(partner_a, Delivery.Channel.EMAIL).first()
    assert (email.state if email else None) == email_state
    if email:
        assert email.frequency == frequency
    assert len(mailoutbox) == (1 if frequency == Frequency.IMMEDIATE else 0)
    # The inbox always gets it, whatever the e-mail setting.
    assert _deliveries(partner_a, Delivery.Channel.INBOX).get().state == Delivery.State.SENT


def test_a_setting_applies_to_its_kind_and_area_only(partner_a, area_a, area_b, announce, mailoutbox):
    organisation = partner_a.memberships.get().organisation
    organisation.areas.add(area_b)
    organisation.save()
    NotificationPreference.objects.create(
        user=partner_a, kind=Kind.NEW_MINUTES, area=area_a, frequency=Frequency.OFF
    )

    announce(audience=Audience.AREA_PARTNERS, area=area_a)
    announce(audience=Audience.AREA_PARTNERS, area=area_b, title="白根エリアの議事録")
    announce(audience=Audience.AREA_PARTNERS, area=area_a, kind=Kind.REMINDER, title="明日は連携会議です")

    assert sorted(m.subject for m in mailoutbox) == [
        "[つなぐ] 明日は連携会議です",
        "[つなぐ] 白根エリアの議事録",
    ]


def test_the_settings_page_saves_choices_and_shows_them_again(client, partner_a, area_a):
    log_in_with_second_factor(client, partner_a)
    page = client.get(reverse("notifications:settings"))
    html = page.content.decode()
    assert "今宿西エリア" in html and "ネットワーク全体" in html
    assert f'<label for="id_new_minutes__{area_a.pk}">新しい議事録</label>' in html

    data = {name: field.initial for name, field in page.context["form"].fields.items()}
    data[f"new_event__{area_a.pk}"] = Frequency.WEEKLY
    data["reminder__network"] = Frequency.OFF
    response = client.post(reverse("notifications:settings"), data, follow=True)

    assert "通知の設定を保存しました。" in response.content.decode()
    assert (
        NotificationPreference.objects.get(user=partner_a, kind="new_event", area=area_a).frequency
        == "weekly"
    )
    assert NotificationPreference.objects.get(user=partner_a, kind="reminder", area=None).frequency == "off"
    assert 'value="weekly" selected' in client.get(reverse("notifications:settings")).content.decode()


# --- exactly once ------------------------------------------------------------------------


def test_running_the_fan_out_twice_creates_nothing_twice(partner_a, area_a, announce, mailoutbox):
    MembershipFactory(organisation=partner_a.memberships.get().organisation)
    notification = announce(audience=Audience.AREA_PARTNERS, area=area_a)
    before = list(Delivery.objects.order_by("pk").values_list("user_id", "channel", "state"))

    tasks.fan_out.apply(args=[notification.pk])
    list(fan_out(notification.pk))

    assert list(Delivery.objects.order_by("pk").values_list("user_id", "channel", "state")) == before
    assert len(before) == 4  # two people × inbox and e-mail
    assert len(mailoutbox) == 2


def test_running_a_delivery_task_twice_sends_once(partner_a, area_a, announce, mailoutbox):
    NotificationPreference.objects.create(
        user=partner_a, kind=Kind.NEW_MINUTES, area=area_a, frequency="daily"
    )
    announce(audience=Audience.AREA_PARTNERS, area=area_a)
    email = _deliveries(partner_a, Delivery.Channel.EMAIL).get()
    Delivery.objects.filter(pk=email.pk).update(state=Delivery.State.QUEUED)

    tasks.send_deliveries.apply(args=[[email.pk]])
    tasks.send_deliveries.apply(args=[[email.pk]])

    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == (Delivery.State.SENT, 1)


def test_a_temporary_failure_is_retried_and_a_permanent_one_recorded(partner_a, area_a, announce, settings):
    NotificationPreference.objects.create(
        user=partner_a, kind=Kind.NEW_MINUTES, area=area_a, frequency="daily"
    )
    announce(audience=Audience.AREA_PARTNERS, area=area_a)
    email = _deliveries(partner_a, Delivery.Channel.EMAIL).get()
    Delivery.objects.filter(pk=email.pk).update(state=Delivery.State.QUEUED)
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    with mock.patch(f"{smtp}.open"), mock.patch(f"{smtp}.close"), mock.patch(f"{smtp}.send_messages") as send:
        send.side_effect = smtplib.SMTPResponseException(451, b"try again later")
        with mock.patch.object(tasks.send_deliveries, "retry", side_effect=RuntimeError("retry")) as retry:
            with pytest.raises(RuntimeError):
                tasks.send_deliveries.apply(args=[[email.pk]], throw=True)
        assert retry.call_args.kwargs["args"] == [[email.pk]]  # only the failed ones, later
        email.refresh_from_db()
        assert (email.state, email.attempts) == (Delivery.State.QUEUED, 1)
        assert "451" in email.last_error

        send.side_effect = smtplib.SMTPResponseException(550, b"no such user")
        assert delivery_service.deliver_batch([email.pk]) == []
    email.refresh_from_db()
    assert (email.state, email.attempts) == (Delivery.State.FAILED, 2)
    assert "no such user" in email.last_error


# --- digests -----------------------------------------------------------------------------


def _at(notification, *args):
    Notification.objects.filter(pk=notification.pk).update(created_at=datetime(*args, tzinfo=TOKYO))


def test_the_daily_digest_cuts_at_midnight_tokyo_time(partner_a, area_a, announce, mailoutbox):
    NotificationPreference.objects.create(user=partner_a, kind=Kind.NEW_EVENT, area=area_a, frequency="daily")
    late = announce(audience=Audience.AREA_PARTNERS, area=area_a, kind=Kind.NEW_EVENT, title="23:59の催し")
    early = announce(audience=Audience.AREA_PARTNERS, area=area_a, kind=Kind.NEW_EVENT, title="00:01の催し")
    _at(late, 2026, 11, 26, 23, 59)
    _at(early, 2026, 11, 27, 0, 1)

    delivery_service.send_digest(partner_a.pk, "daily", datetime(2026, 11, 27, 7, 0, tzinfo=TOKYO))
    assert len(mailoutbox) == 1
    assert "23:59の催し" in mailoutbox[0].body and "00:01の催し" not in mailoutbox[0].body
    assert mailoutbox[0].subject == "[つなぐ] 毎日のまとめ: 1件のお知らせ"

    delivery_service.send_digest(partner_a.pk, "daily", datetime(2026, 11, 28, 7, 0, tzinfo=TOKYO))
    assert len(mailoutbox) == 2 and "00:01の催し" in mailoutbox[1].body


def test_the_weekly_digest_collects_the_week_before_monday(partner_a, area_a, announce, mailoutbox):
    NotificationPreference.objects.create(
        user=partner_a, kind=Kind.NEW_POSTING, area=area_a, frequency="weekly"
    )
    sunday = announce(audience=Audience.AREA_PARTNERS, area=area_a, kind=Kind.NEW_POSTING, title="日曜の募集")
    monday = announce(audience=Audience.AREA_PARTNERS, area=area_a, kind=Kind.NEW_POSTING, title="月曜の募集")
    _at(sunday, 2026, 11, 29, 23, 59)  # Sunday
    _at(monday, 2026, 11, 30, 0, 1)  # Monday

    users = delivery_service.users_with_digest("weekly", datetime(2026, 11, 30, 7, 0, tzinfo=TOKYO))
    assert users == [partner_a.pk]
    delivery_service.send_digest(partner_a.pk, "weekly", datetime(2026, 11, 30, 7, 0, tzinfo=TOKYO))

    assert len(mailoutbox) == 1
    assert "日曜の募集" in mailoutbox[0].body and "月曜の募集" not in mailoutbox[0].body
    assert "毎週のまとめ" in mailoutbox[0].subject


def test_an_empty_digest_is_not_sent(partner_a, mailoutbox):
    now = datetime(2026, 11, 27, 7, 0, tzinfo=TOKYO)
    assert delivery_service.users_with_digest("daily", now) == []
    assert delivery_service.send_digest(partner_a.pk, "daily", now) == 0
    assert mailoutbox == []


# --- unsubscribe and headers -------------------------------------------------------------


def _unsubscribe_path(message):
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    return url.split("127.0.0.1:8000", 1)[1]


def test_every_email_has_text_html_and_unsubscribe_headers(partner_a, area_a, announce, mailoutbox):
    announce(audience=Audience.AREA_PARTNERS, area=area_a, body="次回は3月です。")
    message = mailoutbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "次回は3月です。" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "次回は3月です。" in html and 'lang="ja"' in html
    assert "この種類のメールを止める" in message.body


def test_a_title_longer_than_the_inbox_keeps_is_shortened_not_refused(
    client, partner_a, area_a, announce, mailoutbox
):
    """A page title may take 255 characters (a posting's, say) and a producer adds to it; the
    notice is still recorded, mailed and listed, its title ending in "…"."""
    long_title = "新しいボランティア募集：" + "絵本の読み聞かせ" * 40
    announce(audience=Audience.AREA_PARTNERS, area=area_a, title=long_title)

    assert (
        mailoutbox[0].subject.endswith("…")
        and "新しいボランティア募集：絵本の読み聞かせ" in mailoutbox[0].subject
    )
    client.force_login(partner_a)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "新しいボランティア募集：絵本の読み聞かせ" in inbox and "…" in inbox


def test_one_click_unsubscribe_works_without_log_in(partner_a, area_a, announce, mailoutbox):
    from django.test import Client

    announce(audience=Audience.AREA_PARTNERS, area=area_a)
    path = _unsubscribe_path(mailoutbox[0])
    client = Client(enforce_csrf_checks=True)  # as a mail client posts, with no CSRF token

    assert "新しい議事録" in client.get(path).content.decode()
    response = client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert (
        NotificationPreference.objects.get(user=partner_a, kind="new_minutes", area=area_a).frequency == "off"
    )
    mailoutbox.clear()
    announce(audience=Audience.AREA_PARTNERS, area=area_a)
    assert mailoutbox == []
    assert _deliveries(partner_a, Delivery.Channel.INBOX).count() == 2


def test_a_tampered_unsubscribe_link_is_refused(client, partner_a, area_a, announce, mailoutbox):
    announce(audience=Audience.AREA_PARTNERS, area=area_a)
    path = _unsubscribe_path(mailoutbox[0])
    tampered = path[:-6] + ("A" if path[-6] != "A" else "B") + path[-5:]

    response = client.post(tampered)

    assert response.status_code == 400
    assert "この配信停止リンクは正しくありません。" in response.content.decode()
    assert not NotificationPreference.objects.exists()


# --- visibility --------------------------------------------------------------------------


def test_a_partner_of_another_area_gets_nothing_about_area_only_items(
    partner_a, partner_b, area_a, announce, mailoutbox
):
    announce(audience=Audience.AREA_PARTNERS, area=area_a, body="内部の話")

    assert not Delivery.objects.filter(user=partner_b).exists()
    assert [m.to for m in mailoutbox] == [[partner_a.email]]


def test_private_text_reaches_only_readers_allowed_to_read_it(
    partner_a, partner_b, area_a, announce, mailoutbox
):
    announce(
        audience=Audience.NETWORK_PARTNERS,
        body_audience=Audience.AREA_PARTNERS,
        area=area_a,
        body="保護者Aさんの相談内容",
    )

    by_reader = {m.to[0]: m for m in mailoutbox}
    assert "保護者Aさんの相談内容" in by_reader[partner_a.email].body
    assert "保護者Aさんの相談内容" not in by_reader[partner_b.email].body
    assert "保護者Aさんの相談内容" not in by_reader[partner_b.email].alternatives[0][0]
    assert "今宿西エリア連携会議の議事録" in by_reader[partner_b.email].body


# --- inbox -------------------------------------------------------------------------------


def test_the_inbox_lists_newest_first_counts_unread_and_marks_read(client, partner_a, area_a, announce):
    first = announce(audience=Audience.AREA_PARTNERS, area=area_a, title="古いお知らせ")
    _at(first, 2026, 11, 1, 9, 0)
    announce(audience=Audience.AREA_PARTNERS, area=area_a, title="新しいお知らせ", url="/areas/area-01/")
    log_in_with_second_factor(client, partner_a)

    html = client.get(reverse("notifications:inbox")).content.decode()
    assert html.index("新しいお知らせ") < html.index("古いお知らせ")
    assert "2件の未読" in html

    newest = _deliveries(partner_a, Delivery.Channel.INBOX).get(notification__title="新しいお知らせ")
    response = client.post(reverse("notifications:read", args=[newest.pk]), {"open": "1"})
    assert response["Location"] == "/areas/area-01/"
    assert "1件の未読" in client.get("/").content.decode()

    client.post(reverse("notifications:read_all"))
    assert "件の未読" not in client.get(reverse("notifications:inbox")).content.decode()


def test_nobody_can_mark_someone_elses_notification(client, partner_a, partner_b, area_a, announce):
    announce(audience=Audience.AREA_PARTNERS, area=area_a)
    delivery = _deliveries(partner_a, Delivery.Channel.INBOX).get()
    log_in_with_second_factor(client, partner_b)

    assert client.post(reverse("notifications:read", args=[delivery.pk])).status_code == 404
    delivery.refresh_from_db()
    assert delivery.read_at is None


def test_the_inbox_query_count_does_not_grow_with_notifications(
    every_page_rendered, client, partner_a, area_a, announce, django_assert_max_num_queries
):
    log_in_with_second_factor(client, partner_a)
    counts = []
    for total in (2, 12):
        while Delivery.objects.filter(user=partner_a, channel="inbox").count() < total:
            announce(audience=Audience.AREA_PARTNERS, area=area_a)
        client.get(reverse("notifications:inbox"))  # warm the per-site caches
        with django_assert_max_num_queries(30) as captured:
            client.get(reverse("notifications:inbox"))
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


# --- schedules ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the scheduler closes and reopens connections, as beat does
def test_beat_schedules_defined_in_code_appear_in_django_celery_beat():
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from cms.celery import app

    DatabaseScheduler(app=app)

    tasks_by_name = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks_by_name["daily-digest"] == "coordination.notifications.tasks.send_digests"
    assert tasks_by_name["weekly-digest"] == "coordination.notifications.tasks.send_digests"
    assert tasks_by_name["sweep-stuck-notifications"] == "coordination.notifications.tasks.sweep_stuck"
    daily = PeriodicTask.objects.get(name="daily-digest").crontab
    assert (daily.hour, daily.minute, str(daily.timezone)) == ("7", "0", "Asia/Tokyo")
