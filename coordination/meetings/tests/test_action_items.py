"""Action items on the dashboard, marking them done, and the day-before reminders."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from areas.models import AreaPage, Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from common.dates import ja_date
from coordination.meetings.models import ActionItem, MeetingPage
from coordination.meetings.services import send_reminders
from coordination.notifications.models import Delivery, Kind, Notification

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")
Status = ActionItem.Status


def _meeting(area, slug, start, *, title=None, items=(), invited=()):
    """A published meeting under an area, with its action items as (description, owner, due[, status])."""
    meeting = MeetingPage(
        title=title or f"連携会議 {slug}", slug=slug, start=start, end=start + timedelta(hours=2)
    )
    meeting.action_items = [
        ActionItem(
            description=row[0], owner=row[1], due=row[2], status=row[3] if len(row) > 3 else Status.OPEN
        )
        for row in items
    ]
    meeting.invited_organisations = list(invited)
    area.add_child(instance=meeting)
    meeting.save_revision().publish()
    return meeting


def _item(description):
    return ActionItem.objects.get(description=description)


@pytest.fixture
def english(client):
    """Read the pages in English: the msgids, whatever the Japanese catalogue holds yet."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def owner(area_a):
    return OrganisationFactory(name="わかば保育園", areas=[area_a])


@pytest.fixture
def owner_member(owner):
    return MembershipFactory(organisation=owner).user


@pytest.fixture
def other_member(area_a):
    return MembershipFactory(organisation=OrganisationFactory(name="あさひ児童館", areas=[area_a])).user


@pytest.fixture
def items(area_a, area_b, owner, other_member):
    """Open, overdue, done and someone else's items, over two meetings in two areas."""
    today = timezone.localdate()
    others = other_member.memberships.get().organisation
    owner.areas.add(area_b)
    past = timezone.now() - timedelta(days=14)
    first = _meeting(
        area_a,
        "m1",
        past,
        title="今宿西エリア連携会議",
        items=[
            ("チラシを作る", owner, today + timedelta(days=5)),
            ("会場を予約する", owner, today - timedelta(days=3)),
            ("名簿を直す", owner, today - timedelta(days=5), Status.DONE),
            ("ポスターを貼る", others, today - timedelta(days=4)),
        ],
    )
    second = _meeting(
        area_b,
        "m2",
        past,
        title="白根エリア連携会議",
        items=[("アンケートを集める", owner, today + timedelta(days=1), Status.IN_PROGRESS)],
    )
    return first, second


# --- dashboard ---------------------------------------------------------------------------


def test_the_dashboard_lists_my_organisations_open_items_overdue_first(english, owner_member, items):
    first, second = items
    log_in_with_second_factor(english, owner_member)

    html = english.get(reverse("dashboard")).content.decode()

    section = html.split('id="actions-heading"')[1].split("</section>")[0]
    assert "Open action items of my organisations" in html
    order = ["会場を予約する", "アンケートを集める", "チラシを作る"]
    positions = [section.index(description) for description in order]
    assert positions == sorted(positions)
    assert "名簿を直す" not in html  # done
    assert "ポスターを貼る" not in html  # another organisation's
    # The overdue one says so in words, not only by colour.
    overdue = _item("会場を予約する")
    card = section.split(f'id="action-item-{overdue.pk}"')[1].split("</li>")[0]
    assert "Overdue" in card
    assert section.count("Overdue") == 1
    # Meeting link, owner, Japanese date, and the button for the owner's member.
    assert f'<a href="{first.url}">今宿西エリア連携会議</a>' in section
    assert f'<a href="{second.url}">白根エリア連携会議</a>' in section
    assert "わかば保育園" in card
    assert ja_date(overdue.due) in card and "年" in ja_date(overdue.due)
    assert f'action="{reverse("meetings:action_item_done", args=[overdue.pk])}"' in card
    assert section.count(">Mark as done</button>") == 3


def test_the_dashboard_has_no_action_section_without_open_items(english, other_member, area_a, owner):
    _meeting(area_a, "m1", timezone.now(), items=[("チラシを作る", owner, timezone.localdate())])
    log_in_with_second_factor(english, other_member)

    html = english.get(reverse("dashboard")).content.decode()

    assert "チラシを作る" not in html
    assert 'id="actions-heading"' not in html


def _owner_of_items(count):
    """A person whose organisation owns `count` open items, each in its own meeting and area."""
    user = MembershipFactory(organisation=OrganisationFactory()).user
    organisation = user.memberships.get().organisation
    areas = list(AreaPage.objects.order_by("path")[:count])
    organisation.areas.add(*areas)
    today = timezone.localdate()
    for index, area in enumerate(areas):
        _meeting(
            area,
            f"u{user.pk}-m{index}",
            timezone.now() - timedelta(days=7),
            items=[(f"{user.pk}の仕事{index}", organisation, today + timedelta(days=index - count // 2))],
        )
    return user


def test_the_dashboard_query_count_does_not_grow_with_action_items(
    every_page_rendered, client, demo_site, django_assert_max_num_queries
):
    few, many = _owner_of_items(2), _owner_of_items(8)

    counts = []
    for user, expected in ((few, 2), (many, 8)):
        log_in_with_second_factor(client, user)
        client.get(reverse("dashboard"))  # warm the site root cache
        with django_assert_max_num_queries(40) as captured:
            html = client.get(reverse("dashboard")).content.decode()
        assert html.count(f"{user.pk}の仕事") == expected
        counts.append(len(captured))
    assert counts[1] == counts[0], counts


# --- marking done ------------------------------------------------------------------------


def test_a_member_of_the_owner_marks_an_item_done_and_it_leaves_the_list(english, owner_member, items):
    first, _second = items
    item = _item("チラシを作る")
    log_in_with_second_factor(english, owner_member)

    response = english.post(reverse("meetings:action_item_done", args=[item.pk]), follow=True)

    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    item.refresh_from_db()
    assert item.status == Status.DONE
    html = response.content.decode()
    assert "Marked as done: チラシを作る" in html
    assert f'id="action-item-{item.pk}"' not in html
    assert "会場を予約する" in html
    entry = PageLogEntry.objects.get(page=first, action="wagtail.edit")
    assert entry.user == owner_member
    assert entry.data == {"action_item": item.pk, "status": "done"}


def test_someone_outside_the_owner_organisation_is_refused(client, other_member, items):
    item = _item("チラシを作る")
    log_in_with_second_factor(client, other_member)

    response = client.post(reverse("meetings:action_item_done", args=[item.pk]))

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == Status.OPEN
    assert not PageLogEntry.objects.filter(action="wagtail.edit").exists()


def test_a_network_admin_may_mark_any_item_done(client, area_b, items):
    admin = MembershipFactory(
        organisation=OrganisationFactory(areas=[area_b]), role=Membership.Role.NETWORK_ADMIN
    ).user
    item = _item("チラシを作る")
    log_in_with_second_factor(client, admin)

    assert client.post(reverse("meetings:action_item_done", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.DONE


def test_a_network_admin_without_the_code_marks_no_other_organisations_item_done(client, area_b, items):
    """Password alone: what a plain member of their organisation may do, no more."""
    admin = MembershipFactory(
        organisation=OrganisationFactory(areas=[area_b]), role=Membership.Role.NETWORK_ADMIN
    ).user
    item = _item("チラシを作る")
    client.force_login(admin)

    client.post(reverse("meetings:action_item_done", args=[item.pk]))

    item.refresh_from_db()
    assert item.status == Status.OPEN


def test_marking_done_needs_a_logged_in_post(client, owner_member, items):
    item = _item("チラシを作る")
    url = reverse("meetings:action_item_done", args=[item.pk])

    assert client.post(url)["Location"].startswith(reverse("account_login"))
    log_in_with_second_factor(client, owner_member)
    assert client.get(url).status_code == 405
    item.refresh_from_db()
    assert item.status == Status.OPEN


def test_marking_done_twice_logs_once(client, owner_member, items):
    item = _item("チラシを作る")
    log_in_with_second_factor(client, owner_member)

    for _ in range(2):
        assert client.post(reverse("meetings:action_item_done", args=[item.pk])).status_code == 302

    assert PageLogEntry.objects.filter(action="wagtail.edit").count() == 1


# --- reminders ---------------------------------------------------------------------------

NOW = datetime(2030, 6, 9, 9, 0, tzinfo=TOKYO)  # 09:00 Tokyo on the day before
TOMORROW = NOW.date() + timedelta(days=1)


def _at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


def _inbox_titles(user):
    deliveries = Delivery.objects.filter(user=user, channel=Delivery.Channel.INBOX)
    return sorted(
        deliveries.filter(notification__kind=Kind.REMINDER).values_list("notification__title", flat=True)
    )


@pytest.fixture
def invited(area_a):
    return OrganisationFactory(name="いまじゅく子育てサロン", areas=[area_a])


@pytest.fixture
def invited_member(invited):
    return MembershipFactory(organisation=invited).user


def _run_reminders(capture, now=NOW, times=1):
    sent = []
    for _ in range(times):
        with capture(execute=True):
            sent.append(send_reminders(now))
    return sent


def test_the_day_before_invited_organisations_and_owners_are_reminded_once(
    area_a,
    invited,
    invited_member,
    owner,
    owner_member,
    other_member,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    _meeting(
        area_a,
        "tomorrow",
        _at(TOMORROW, 14),
        title="明日の連携会議",
        invited=[invited],
        items=[
            ("チラシを作る", owner, TOMORROW),
            ("名簿を直す", owner, TOMORROW, Status.DONE),
            ("会場を予約する", owner, TOMORROW + timedelta(days=1)),
        ],
    )
    _meeting(
        area_a, "later", _at(TOMORROW + timedelta(days=1), 14), title="あさっての連携会議", invited=[invited]
    )

    sent = _run_reminders(django_capture_on_commit_callbacks, times=2)

    assert sent == [2, 0]
    meeting_titles = _inbox_titles(invited_member)
    assert len(meeting_titles) == 1 and "明日の連携会議" in meeting_titles[0]
    item_titles = _inbox_titles(owner_member)
    assert len(item_titles) == 1 and "チラシを作る" in item_titles[0] and "明日の連携会議" in item_titles[0]
    assert _inbox_titles(other_member) == []
    subjects = sorted(message.subject for message in mailoutbox)
    assert subjects == sorted(f"[つなぐ] {title}" for title in meeting_titles + item_titles)
    assert [message.to for message in mailoutbox if "チラシを作る" in message.subject] == [
        [owner_member.email]
    ]
    assert Notification.objects.filter(kind=Kind.REMINDER).count() == 2


def test_a_meeting_just_after_midnight_tokyo_counts_as_tomorrow(
    area_a, invited, invited_member, django_capture_on_commit_callbacks
):
    early = _at(TOMORROW, 0, 30)
    assert early.astimezone(ZoneInfo("UTC")).date() == NOW.date()  # its UTC date is today
    _meeting(area_a, "early", early, title="朝一番の会議", invited=[invited])
    # And one whose UTC date is tomorrow, but which is the day after tomorrow in Tokyo.
    _meeting(
        area_a,
        "next-early",
        _at(TOMORROW + timedelta(days=1), 0, 30),
        title="翌々日の会議",
        invited=[invited],
    )

    _run_reminders(django_capture_on_commit_callbacks)

    titles = _inbox_titles(invited_member)
    assert len(titles) == 1 and "朝一番の会議" in titles[0]


def test_the_task_calls_the_service():
    from coordination.meetings import tasks

    with mock.patch("coordination.meetings.services.send_reminders", return_value=3) as service:
        assert tasks.send_reminders.delay().get() == 3
    service.assert_called_once_with()


@pytest.mark.django_db(transaction=True)  # the scheduler closes and reopens connections, as beat does
def test_the_reminder_schedule_appears_in_django_celery_beat():
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from cms.celery import app

    DatabaseScheduler(app=app)

    task = PeriodicTask.objects.get(name="meeting-and-action-item-reminders")
    assert task.task == "coordination.meetings.tasks.send_reminders"
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("9", "0", "Asia/Tokyo")
    app.loader.import_default_modules()
    assert "coordination.meetings.tasks.send_reminders" in app.tasks


def test_marking_done_survives_a_later_publish_from_the_editor(client, area_a):
    from datetime import timedelta

    from django.utils import timezone

    from areas.tests.factories import MembershipFactory, OrganisationFactory
    from coordination.meetings.models import ActionItem, MeetingPage

    organisation = OrganisationFactory(areas=[area_a])
    owner = MembershipFactory(organisation=organisation).user
    start = timezone.now() - timedelta(days=3)
    meeting = MeetingPage(title="振り返りの会", slug="furikaeri", start=start, end=start + timedelta(hours=1))
    meeting.action_items = [ActionItem(description="写真を共有する", owner=organisation, due=start.date())]
    area_a.add_child(instance=meeting)
    meeting.save_revision().publish()
    item = meeting.action_items.get()
    log_in_with_second_factor(client, owner)

    client.post(f"/meetings/action-items/{item.pk}/done/")
    meeting.refresh_from_db()
    meeting.get_latest_revision().publish()  # an editor publishes again without touching the item

    assert ActionItem.objects.get(description="写真を共有する").status == ActionItem.Status.DONE
