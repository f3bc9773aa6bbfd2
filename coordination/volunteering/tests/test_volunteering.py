"""Volunteer postings and applications without an account: the journey, bad input, organisers."""

import csv
import io
import re
from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from areas.models import AreaPage, Membership
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from coordination.notifications.models import Audience, Kind, Notification
from coordination.signups import services
from coordination.signups.models import Applicant, Signup, Slot
from coordination.volunteering.models import VolunteerPostingPage
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db
Role = Membership.Role


def _form(page, **fields):
    slot = Slot.objects.filter(page=page).first()
    data = {
        "slots": [str(slot.pk)],
        "name": "旭 花子",
        "email": "hanako@example.jp",
        "phone": "090-0000-0000",
        "message": "土曜なら参加できます",
        "consent": "on",
        "website": "",
    }
    data.update(fields)
    return data


def _apply(client, page, **fields):
    return client.post(reverse("signups:apply", args=[page.pk]), _form(page, **fields))


def _link(message, name):
    """The path of the link in an e-mail that ends in /<name>/."""
    match = re.search(rf"https?://[^/\s]+(/signups/[^/\s]+/{name}/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture(scope="module")
def _posting(demo_world):
    """The posting most tests apply to, published once for the module on the shared demo site
    (each test rolls back to it); `posting` reads it afresh for each test."""
    with demo_world():
        yield make_posting(AreaPage.objects.get(code="area-01")).pk


@pytest.fixture
def posting(_posting, area_a):
    return VolunteerPostingPage.objects.get(pk=_posting)


def test_the_posting_page_says_concretely_what_the_work_is(client, posting):
    html = client.get(posting.url).content.decode()

    for text in (
        "マットとおもちゃを並べ",
        "毎月第2火曜 9:30〜12:00",
        "今宿西地域ケアプラザ 多目的室",
        "1回2時間半",
        "シニア",
        "初回はスタッフが一緒に回ります",
        "045-000-0000",
        "残り2",
    ):
        assert text in html, text
    assert reverse("signups:apply", args=[posting.pk]) in html


def test_apply_confirm_and_withdraw_without_an_account(client, posting, django_capture_on_commit_callbacks):
    member = MembershipFactory(organisation=posting.organisers.first()).user

    with django_capture_on_commit_callbacks(execute=True):
        response = _apply(client, posting)
    assert response.status_code == 302
    sent = client.get(response["Location"]).content.decode()
    assert "hanako@example.jp" in sent and "確認" in sent

    applicant = Applicant.objects.get()
    assert applicant.signups.get().status == Signup.Status.PLACED
    assert not Notification.objects.filter(kind=Kind.APPLICATION).exists()  # not before confirming
    (first,) = mail.outbox
    assert first.to == ["hanako@example.jp"]
    assert "申込" in first.subject and posting.title in first.subject

    confirm = _link(first, "confirm")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(confirm, follow=True)
    html = page.content.decode()
    assert "申込が確定しました" in html and "参加予定" in html

    notification = Notification.objects.get(kind=Kind.APPLICATION)
    assert notification.audience == Audience.ORGANISATION
    assert notification.organisation == posting.organisers.first()
    assert "旭 花子" not in notification.title + notification.body  # no personal data in notifications
    assert member.deliveries.filter(notification=notification).exists()

    # Confirming twice tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(confirm)
    assert Notification.objects.filter(kind=Kind.APPLICATION).count() == 1

    manage = confirm.replace("confirm/", "")
    signup = applicant.signups.get()
    ask = client.get(f"{manage}withdraw/?signup={signup.pk}")
    assert "取り消しますか" in ask.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"{manage}withdraw/", {"signup": signup.pk}, follow=True)
    assert "取り消しました" in done.content.decode()
    signup.refresh_from_db()
    assert signup.status == Signup.Status.WITHDRAWN
    assert "取り消し" in mail.outbox[-1].subject


def test_change_details_and_add_a_shift_from_the_link(client, area_a, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        shifts=[
            {
                "date": today + timedelta(days=14),
                "start_time": time(9, 30),
                "end_time": time(12),
                "capacity": 3,
            },
            {
                "date": today + timedelta(days=21),
                "start_time": time(9, 30),
                "end_time": time(12),
                "capacity": 3,
            },
        ],
    )
    first, second = Slot.objects.filter(page=posting)
    with django_capture_on_commit_callbacks(execute=True):
        _apply(client, posting, slots=[str(first.pk)])
    applicant = Applicant.objects.get()
    manage = reverse("signups:manage", args=[services.applicant_token(applicant)])

    client.post(manage, {"action": "details", "name": "旭 花子", "phone": "045-111-1111", "message": "変更"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage, {"action": "add", "slots": [str(second.pk)]})

    applicant.refresh_from_db()
    assert applicant.phone == "045-111-1111"
    assert set(applicant.signups.values_list("slot_id", flat=True)) == {first.pk, second.pk}
    assert "変更" in mail.outbox[-1].subject


def test_a_full_shift_puts_the_next_applicant_on_the_waiting_list_and_moves_them_up(
    client, area_a, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        shifts=[
            {"date": today + timedelta(days=14), "start_time": time(10), "end_time": time(12), "capacity": 1}
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        _apply(client, posting, email="first@example.jp", name="一番")
        response = _apply(client, posting, email="second@example.jp", name="二番")
    sent = client.get(response["Location"]).content.decode()
    assert "キャンセル待ち" in sent

    first = Applicant.objects.get(email="first@example.jp")
    second = Applicant.objects.get(email="second@example.jp")
    assert second.signups.get().status == Signup.Status.WAITING

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(first)
    assert second.signups.get().status == Signup.Status.PLACED
    moved = [m for m in mail.outbox if m.to == ["second@example.jp"]][-1]
    assert "繰り上が" in moved.body or "参加できます" in moved.subject


# ---------------------------------------------------------------------------
# Bad input: a clear message, nothing typed lost, nothing stored twice


def _kept(response):
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="旭 花子"' in html and "土曜なら参加できます" in html
    return html


def test_after_the_deadline(client, area_a):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        deadline=today + timedelta(days=1),
        shifts=[
            {"date": today + timedelta(days=5), "start_time": time(10), "end_time": time(12), "capacity": 5}
        ],
    )
    slot = Slot.objects.get(page=posting)
    Slot.objects.filter(pk=slot.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    html = client.get(reverse("signups:apply", args=[posting.pk])).content.decode()
    assert "受付は終了しました" in html
    response = client.post(reverse("signups:apply", args=[posting.pk]), _form(posting))
    assert response.status_code == 400
    assert "受付は終了しました" in response.content.decode() or "選択" in response.content.decode()
    assert not Applicant.objects.exists()


def test_a_full_shift_without_a_waiting_list(client, area_a):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        waitlist=False,
        shifts=[
            {"date": today + timedelta(days=14), "start_time": time(10), "end_time": time(12), "capacity": 1}
        ],
    )
    _apply(client, posting, email="first@example.jp")
    html = _kept(_apply(client, posting, email="second@example.jp"))
    assert "満員" in html and "キャンセル待ちはありません" in html
    assert Applicant.objects.count() == 1


def test_twice_with_the_same_address(client, posting):
    # Answered as a new application would be, so the form tells no one whether an address
    # applied; nothing is stored twice (the owner's e-mail: test_signup_limits.py).
    _apply(client, posting)
    again = _apply(client, posting, email="HANAKO@example.jp")
    assert again.status_code == 302
    assert "すでに" not in client.get(again["Location"]).content.decode()
    assert Applicant.objects.count() == 1


def test_a_malformed_address(client, posting):
    html = _kept(_apply(client, posting, email="hanako@"))
    assert "hanako@example.jp のような" in html
    assert 'value="hanako@"' in html
    assert not Applicant.objects.exists()


def test_without_consent(client, posting):
    html = _kept(_apply(client, posting, consent=""))
    assert "同意" in html
    assert not Applicant.objects.exists()


def test_a_robot_filling_the_hidden_field(client, posting):
    html = _kept(_apply(client, posting, website="http://spam.example"))
    assert "自動送信" in html
    assert not Applicant.objects.exists()


def test_too_many_applications_from_one_address(client, posting, settings):
    settings.SIGNUP_RATE_LIMIT = "3/h"
    settings.SIGNUP_UNCONFIRMED_PER_IP = 3  # the rate limit is under test here, not the holding limit
    for n in range(3):
        assert _apply(client, posting, email=f"p{n}@example.jp").status_code == 302
    html = _kept(_apply(client, posting, email="p4@example.jp"))
    assert "回数が多すぎます" in html
    assert Applicant.objects.count() == 3


# ---------------------------------------------------------------------------
# The organisers


@pytest.fixture
def applied(client, posting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _apply(client, posting)
    return Applicant.objects.get()


def _readers(posting, area_a, area_b):
    organiser = posting.organisers.first()
    network = OrganisationFactory(name="旭区社会福祉協議会 本部")
    return {
        "anonymous": None,
        "member of the posting organisation": MembershipFactory(organisation=organiser).user,
        "network admin": MembershipFactory(organisation=network, role=Role.NETWORK_ADMIN).user,
        "partner of the same area, other organisation": MembershipFactory(
            organisation=OrganisationFactory(areas=[area_a])
        ).user,
        "coordinator of the area": coordinator_of(area_a),
        "partner of another area": MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user,
    }


ALLOWED = {"member of the posting organisation", "network admin"}


@pytest.mark.parametrize("route", ["signups:list", "signups:csv"])
def test_only_the_posting_organisation_and_network_admins_see_applicants(
    client, posting, applied, area_a, area_b, route
):
    for who, user in _readers(posting, area_a, area_b).items():
        client.logout()
        if user:
            log_in_with_second_factor(client, user)
        response = client.get(reverse(route, args=[posting.pk]))
        body = response.content.decode("utf-8-sig", errors="replace")
        if who in ALLOWED:
            assert response.status_code == 200, who
            assert "旭 花子" in body and "hanako@example.jp" in body, who
        else:
            assert response.status_code in (302, 403), who
            assert "旭 花子" not in body and "hanako@example.jp" not in body, who
        page = client.get(posting.url).content.decode()
        assert "旭 花子" not in page and "hanako@example.jp" not in page
        assert (reverse("signups:list", args=[posting.pk]) in page) == (who in ALLOWED), who


def test_applicants_are_not_in_search_or_the_sitemap(client, posting, applied):
    for query in ("旭 花子", "土曜なら参加できます", "hanako"):
        response = client.get(reverse("search"), {"q": query})
        assert list(response.context["results"]) == [], query
    assert "hanako" not in client.get("/sitemap.xml").content.decode()


def test_csv_opens_in_excel_with_the_japanese(client, posting, applied):
    log_in_with_second_factor(client, MembershipFactory(organisation=posting.organisers.first()).user)
    response = client.get(reverse("signups:csv", args=[posting.pk]))
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert "氏名" in header and "状況" in header
    assert "旭 花子" in row and "参加予定" in row and "土曜なら参加できます" in row


def test_a_phone_number_in_the_csv_keeps_its_leading_zero_in_a_spreadsheet(client, posting):
    _apply(client, posting, phone="09012345678", email="ichiro@example.jp", name="旭 一郎")
    # The form refuses such a number now; one kept from before, or typed by an organiser's tool,
    # still reaches the CSV guarded.
    assert (
        "電話番号は 090-1234-5678"
        in _apply(client, posting, phone="=1+2", email="j@example.jp").content.decode()
    )
    services.apply(
        posting,
        slot_ids=[posting.signup_slots.first().pk],
        name="旭 二郎",
        email="jiro@example.jp",
        phone="=1+2",
    )
    log_in_with_second_factor(client, MembershipFactory(organisation=posting.organisers.first()).user)

    response = client.get(reverse("signups:csv", args=[posting.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    phone = rows[0].index("電話")
    cells = {row[rows[0].index("氏名")]: row[phone] for row in rows[1:]}
    # Digits alone would be read as the number 9012345678: a spreadsheet keeps a cell that starts
    # with a tab as text, and shows it without the tab.
    assert cells["旭 一郎"] == "\t09012345678"
    assert cells["旭 二郎"] == "'=1+2"  # the formula guard still holds


def test_organisers_decide_and_the_applicant_gets_their_message(
    client, posting, applied, django_capture_on_commit_callbacks
):
    log_in_with_second_factor(client, MembershipFactory(organisation=posting.organisers.first()).user)
    signup = applied.signups.get()
    list_html = client.get(reverse("signups:list", args=[posting.pk])).content.decode()
    assert "旭 花子" in list_html and "定員2人中1人" in list_html

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("signups:decide", args=[posting.pk, signup.pk]),
            {"decision": "decline", "message": "今回は定員に達したため、次回ぜひお願いします。"},
        )
    signup.refresh_from_db()
    assert signup.status == Signup.Status.DECLINED
    last = mail.outbox[-1]
    assert last.to == ["hanako@example.jp"]
    assert "次回ぜひお願いします" in last.body and "お断り" in last.body


def test_personal_data_is_deleted_after_the_posting_and_counts_are_kept(client, posting, applied, settings):
    slot = Slot.objects.get(page=posting)
    after = slot.ends_at + timedelta(days=settings.SIGNUP_RETENTION_DAYS, hours=1)

    assert services.delete_personal_data(now=slot.ends_at + timedelta(days=1)) == 0
    assert Applicant.objects.exists()

    assert services.delete_personal_data(now=after) == 1
    assert not Applicant.objects.exists() and not Signup.objects.exists()
    slot.refresh_from_db()
    assert slot.final_counts == {"placed": 1}

    log_in_with_second_factor(client, MembershipFactory(organisation=posting.organisers.first()).user)
    html = client.get(reverse("signups:list", args=[posting.pk])).content.decode()
    assert "個人情報は削除済み" in html and "旭 花子" not in html


def test_unconfirmed_places_go_to_the_waiting(area_a, settings):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        shifts=[
            {"date": today + timedelta(days=14), "start_time": time(10), "end_time": time(12), "capacity": 1}
        ],
    )
    slot = Slot.objects.get(page=posting)
    now = timezone.now()
    late = services.apply(posting, slot_ids=[slot.pk], name="未確認", email="late@example.jp", now=now)
    waiting = services.apply(posting, slot_ids=[slot.pk], name="待ち", email="wait@example.jp", now=now)
    services.confirm(waiting)

    assert services.expire_unconfirmed(now=now + settings.SIGNUP_CONFIRM_WITHIN - timedelta(minutes=1)) == 0
    assert services.expire_unconfirmed(now=now + settings.SIGNUP_CONFIRM_WITHIN + timedelta(minutes=1)) == 1
    assert late.signups.get().status == Signup.Status.EXPIRED
    assert waiting.signups.get().status == Signup.Status.PLACED


def test_reminder_the_day_before_to_confirmed_places_only(area_a, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        shifts=[
            {"date": today + timedelta(days=3), "start_time": time(10), "end_time": time(12), "capacity": 5}
        ],
    )
    slot = Slot.objects.get(page=posting)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.apply(posting, slot_ids=[slot.pk], name="確認済み", email="ok@example.jp")
        services.confirm(confirmed)
        services.apply(posting, slot_ids=[slot.pk], name="未確認", email="no@example.jp")
    mail.outbox.clear()
    day_before = timezone.localtime(slot.starts_at) - timedelta(days=1)
    nine = day_before.replace(hour=9, minute=5)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=nine) == 1
        assert services.send_reminders(now=nine) == 0
    (reminder,) = mail.outbox
    assert reminder.to == ["ok@example.jp"] and "明日" in reminder.subject


def test_publishing_announces_the_posting_once(area_a, django_capture_on_commit_callbacks):
    before = list(Notification.objects.values_list("pk", flat=True))  # the module's posting's
    with django_capture_on_commit_callbacks(execute=True):
        posting = make_posting(area_a)
        posting.save_revision().publish()
    (notification,) = Notification.objects.filter(kind=Kind.NEW_POSTING).exclude(pk__in=before)
    assert notification.area == area_a and posting.title in notification.title


def test_an_organiser_adds_an_application_taken_by_telephone(
    client, posting, django_capture_on_commit_callbacks
):
    member = MembershipFactory(organisation=posting.organisers.first()).user
    log_in_with_second_factor(client, member)
    slot = Slot.objects.get(page=posting)
    url = reverse("signups:enter", args=[posting.pk])

    missing = client.post(url, {"slots": [slot.pk], "name": "旭 よし子", "consent": "on"})
    assert missing.status_code == 400
    html = missing.content.decode()
    assert "電話番号かメールアドレスを入れてください" in html and 'value="旭 よし子"' in html

    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(
            url,
            {"slots": [slot.pk], "name": "旭 よし子", "phone": "045-111-2222", "consent": "on"},
            follow=True,
        )
    html = added.content.decode()
    assert "旭 よし子さんの申込を追加しました" in html and "電話・窓口で受付" in html
    applicant = Applicant.objects.get(name="旭 よし子")
    assert applicant.is_confirmed and applicant.entered_by == member and applicant.email == ""
    assert applicant.signups.get().status == Signup.Status.PLACED
    assert mail.outbox == []  # no address, no e-mail
    assert "旭 よし子" in client.get(reverse("signups:csv", args=[posting.pk])).content.decode("utf-8-sig")

    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    log_in_with_second_factor(client, outsider)
    assert (
        client.post(url, {"slots": [slot.pk], "name": "x", "phone": "1", "consent": "on"}).status_code == 403
    )


def test_the_dashboard_lists_applications_to_my_organisations(every_page_rendered, client, area_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organisation = OrganisationFactory(name="わかば保育園", areas=[area_a])
    member = MembershipFactory(organisation=organisation).user
    log_in_with_second_factor(client, member)

    def dashboard():
        client.get(reverse("dashboard"))
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("dashboard")).content.decode()
        return html, len(queries)

    first = make_posting(area_a, title="ひろばの見守り", organisation=organisation)
    slot = Slot.objects.get(page=first)
    services.confirm(services.apply(first, slot_ids=[slot.pk], name="一", email="one@example.jp"))
    services.apply(first, slot_ids=[slot.pk], name="二", email="two@example.jp")  # not yet confirmed
    html, few = dashboard()
    assert "ひろばの見守り" in html and "申込2件" in html and "未対応1件" in html
    assert reverse("signups:list", args=[first.pk]) in html

    for n in range(3):
        other = make_posting(area_a, title=f"募集{n}", organisation=organisation)
        services.apply(other, slot_ids=[Slot.objects.get(page=other).pk], name="三", email=f"p{n}@example.jp")
    html, more = dashboard()
    assert "募集2" in html and more == few

    log_in_with_second_factor(
        client, MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    )
    assert "ひろばの見守り" not in client.get(reverse("dashboard")).content.decode()


def test_the_editor_links_the_applications_for_those_who_may_see_them(client, posting, area_a):
    edit = reverse("wagtailadmin_pages:edit", args=[posting.pk])
    link = f'href="{reverse("signups:list", args=[posting.pk])}"'

    log_in_with_second_factor(client, MembershipFactory(organisation=posting.organisers.first()).user)
    response = client.get(edit)
    assert response.status_code == 200 and link in response.content.decode()

    other = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user  # may edit, not see
    log_in_with_second_factor(client, other)
    response = client.get(edit)
    assert response.status_code == 200 and link not in response.content.decode()


def test_the_dashboard_leaves_out_applications_to_shifts_long_over(client, area_a):
    """Years of past shifts' applications are not counted again on every visit; a shift of last
    week stays, while its organisers mark who took part."""
    organisation = OrganisationFactory(name="わかば保育園", areas=[area_a])
    log_in_with_second_factor(client, MembershipFactory(organisation=organisation).user)
    for title, days_ago in (("先週の見守り", 7), ("二か月前の見守り", 60)):
        posting = make_posting(area_a, title=title, organisation=organisation)
        slot = Slot.objects.get(page=posting)
        applied = services.apply(posting, slot_ids=[slot.pk], name="一", email=f"{days_ago}@example.jp")
        services.confirm(applied)
        Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(days=days_ago))

    html = client.get(reverse("dashboard")).content.decode()

    assert "先週の見守り" in html and "二か月前の見守り" not in html
