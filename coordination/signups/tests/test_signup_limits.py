"""The place-holding limits, with the numbers from the README, tried as a stranger would try them.

A stranger can type any address into the public form. These tests send the form over HTTP
from one connection (REMOTE_ADDR) as such a person would, and check what a real applicant,
or the owner of the address, then sees. The numbers come from the settings, whose defaults
the README states (the last test holds them together).
"""

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coordination.notifications.models import Kind, Notification
from coordination.signups import services
from coordination.signups.models import Applicant, Signup, Slot
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.9"
PLAZA_WIFI = "198.51.100.20"
README = Path(settings.BASE_DIR) / "README.md"


def _shifts(count, capacity):
    today = timezone.localdate()
    return [
        {
            "date": today + timedelta(days=14 + n),
            "start_time": time(10),
            "end_time": time(12),
            "capacity": capacity,
        }
        for n in range(count)
    ]


def _apply(client, page, *, ip, slots=None, **fields):
    data = {
        "slots": [str(slot.pk) for slot in slots or Slot.objects.filter(page=page)[:1]],
        "name": "旭 花子",
        "email": "hanako@example.jp",
        "phone": "090-0000-0000",
        "message": "土曜なら参加できます",
        "consent": "on",
        "website": "",
        **fields,
    }
    return client.post(reverse("signups:apply", args=[page.pk]), data, REMOTE_ADDR=ip)


def _refused(response):
    """Refused with what the person typed kept."""
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="旭 花子"' in html and "土曜なら参加できます" in html
    return html


def _link(message, name):
    match = re.search(rf"https?://[^/\s]+(/signups/[^/\s]+/{name}/)", message.body)
    assert match, message.body
    return match.group(1)


def _later(monkeypatch, delta):
    """The clock moves on; no scheduled job runs."""
    later = timezone.now() + delta
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    return later


def _page(client, response) -> str:
    """The page a redirect leads to, without what differs on every request anyway."""
    html = client.get(response["Location"]).content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"/sent/[^/]+/", "/sent/KEY/", html)


def _rate_limit() -> int:
    return int(settings.SIGNUP_RATE_LIMIT.split("/")[0])


# ---------------------------------------------------------------------------
# Holding places without confirming


def test_fake_applications_from_one_connection_cannot_fill_a_shift(client, area_a):
    per_ip = settings.SIGNUP_UNCONFIRMED_PER_IP
    posting = make_posting(area_a, shifts=_shifts(1, capacity=per_ip + 1))

    for n in range(per_ip):
        assert _apply(client, posting, ip=STRANGER, email=f"fake{n}@example.jp").status_code == 302
    html = _refused(_apply(client, posting, ip=STRANGER, email="fake-last@example.jp"))
    assert "まだ確定を待っています" in html and 'value="fake-last@example.jp"' in html
    assert "残り1人" in client.get(posting.url).content.decode()

    real = _apply(client, posting, ip="192.0.2.44", email="real@example.jp", name="旭 花子")
    assert "確定待ち（仮押さえ）" in client.get(real["Location"]).content.decode()
    assert Applicant.objects.get(email="real@example.jp").signups.get().status == Signup.Status.PLACED


def test_a_confirmed_application_no_longer_counts_against_the_connection(client, area_a):
    per_ip = settings.SIGNUP_UNCONFIRMED_PER_IP
    posting = make_posting(area_a, shifts=_shifts(1, capacity=per_ip + 5))
    for n in range(per_ip):
        _apply(client, posting, ip=PLAZA_WIFI, email=f"parent{n}@example.jp")
    services.confirm(Applicant.objects.get(email="parent0@example.jp"))

    assert _apply(client, posting, ip=PLAZA_WIFI, email="next@example.jp").status_code == 302


def test_an_unconfirmed_place_stops_counting_after_the_window_without_the_job(
    client, area_a, monkeypatch, django_capture_on_commit_callbacks
):
    posting = make_posting(area_a, shifts=_shifts(1, capacity=1))
    _apply(client, posting, ip=STRANGER, email="fake@example.jp")
    early = _apply(client, posting, ip="192.0.2.44", email="early@example.jp")
    assert "キャンセル待ち" in client.get(early["Location"]).content.decode()
    services.confirm(Applicant.objects.get(email="early@example.jp"))

    _later(monkeypatch, settings.SIGNUP_CONFIRM_WITHIN - timedelta(minutes=1))
    assert "満員" in client.get(posting.url).content.decode()  # still held inside the window

    _later(monkeypatch, settings.SIGNUP_CONFIRM_WITHIN + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        late = _apply(client, posting, ip="192.0.2.45", email="late@example.jp")
    # The place goes to the person already waiting, then the newcomer waits behind them.
    assert Applicant.objects.get(email="fake@example.jp").signups.get().status == Signup.Status.EXPIRED
    assert Applicant.objects.get(email="early@example.jp").signups.get().status == Signup.Status.PLACED
    assert any(m.to == ["early@example.jp"] and "繰り上がり" in m.subject for m in mail.outbox)
    assert "キャンセル待ち" in client.get(late["Location"]).content.decode()


def test_a_stale_hold_never_sends_a_real_applicant_to_the_waiting_list(client, area_a, monkeypatch):
    posting = make_posting(area_a, shifts=_shifts(1, capacity=1))
    _apply(client, posting, ip=STRANGER, email="fake@example.jp")

    _later(monkeypatch, settings.SIGNUP_CONFIRM_WITHIN + timedelta(minutes=1))
    assert "残り1人" in client.get(posting.url).content.decode()
    real = _apply(client, posting, ip="192.0.2.44", email="real@example.jp")
    assert "確定待ち（仮押さえ）" in client.get(real["Location"]).content.decode()
    assert Applicant.objects.get(email="fake@example.jp").client_key == ""  # the hash is forgotten


def test_one_application_cannot_take_more_than_the_cap(client, area_a, django_capture_on_commit_callbacks):
    cap = settings.SIGNUP_MAX_SLOTS_PER_APPLICATION
    posting = make_posting(area_a, shifts=_shifts(cap + 1, capacity=5))
    every = list(Slot.objects.filter(page=posting))

    html = _refused(_apply(client, posting, ip=STRANGER, slots=every))
    assert f"一度に選べるのは{cap}件までです" in html
    assert not Applicant.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(client, posting, ip=STRANGER, slots=every[:cap]).status_code == 302
    manage = _link(mail.outbox[-1], "confirm").replace("confirm/", "")
    before = client.post(manage, {"action": "add", "slots": [str(every[cap].pk)]})
    assert before.status_code == 400 and f"一度に選べるのは{cap}件までです" in before.content.decode()

    client.get(manage + "confirm/")  # from the mailbox: now more may be added
    client.post(manage, {"action": "add", "slots": [str(every[cap].pk)]})
    assert Signup.objects.filter(status=Signup.Status.PLACED).count() == cap + 1


def test_one_address_cannot_hold_more_than_its_limit_and_its_owner_is_told(
    client, area_a, django_capture_on_commit_callbacks
):
    per_email = settings.SIGNUP_UNCONFIRMED_PER_EMAIL
    postings = [make_posting(area_a, title=f"募集{n}") for n in range(per_email + 1)]
    with django_capture_on_commit_callbacks(execute=True):
        for n, posting in enumerate(postings):
            response = _apply(client, posting, ip=f"192.0.2.{n + 1}", email="victim@example.jp")
            assert response.status_code == 302
    assert Applicant.objects.filter(email="victim@example.jp").count() == per_email
    notice = mail.outbox[-1]
    assert notice.to == ["victim@example.jp"] and "受け付けられませんでした" in notice.subject
    assert all(posting.title in notice.body for posting in postings)


# ---------------------------------------------------------------------------
# The rate limit counts applications taken


def test_a_family_correcting_typos_on_one_connection_is_not_refused(client, posting_for_many):
    for n in range(_rate_limit()):
        assert _apply(client, posting_for_many, ip=PLAZA_WIFI, email=f"typo{n}@").status_code == 400
    assert _apply(client, posting_for_many, ip=PLAZA_WIFI, consent="").status_code == 400

    assert _apply(client, posting_for_many, ip=PLAZA_WIFI).status_code == 302


def test_after_the_rate_limit_of_applications_taken_the_next_is_refused(client, posting_for_many):
    for n in range(_rate_limit()):
        assert _apply(client, posting_for_many, ip=PLAZA_WIFI, email=f"p{n}@example.jp").status_code == 302
        services.confirm(Applicant.objects.get(email=f"p{n}@example.jp"))

    html = _refused(_apply(client, posting_for_many, ip=PLAZA_WIFI, email="one-more@example.jp"))
    assert "回数が多すぎます" in html
    assert _apply(client, posting_for_many, ip="192.0.2.44", email="one-more@example.jp").status_code == 302


@pytest.fixture
def posting_for_many(area_a):
    return make_posting(area_a, shifts=_shifts(1, capacity=_rate_limit() + 5))


# ---------------------------------------------------------------------------
# Applying twice with one address


def test_applying_again_answers_as_a_new_application_and_tells_the_owner(
    client, area_a, django_capture_on_commit_callbacks
):
    posting = make_posting(area_a)
    with django_capture_on_commit_callbacks(execute=True):
        first = _apply(client, posting, ip="192.0.2.44")
    owner_link = _link(mail.outbox[-1], "confirm").replace("confirm/", "")
    mail.outbox.clear()

    from django.test import Client

    stranger = Client()
    with django_capture_on_commit_callbacks(execute=True):
        again = _apply(stranger, posting, ip=STRANGER, email="HANAKO@example.jp", name="偽物")
    fresh = _apply(stranger, posting, ip=STRANGER, email="new@example.jp", name="新規")

    assert again.status_code == fresh.status_code == 302
    pattern = reverse("signups:sent", args=[posting.pk, "KEY"]).replace("KEY", "[^/]+")
    assert re.fullmatch(pattern, again["Location"]) and re.fullmatch(pattern, fresh["Location"])
    again_html, fresh_html = (_page(stranger, response) for response in (again, fresh))
    first_html = _page(client, first)
    assert again_html.replace("HANAKO@example.jp", "new@example.jp") == fresh_html
    assert again_html.replace("HANAKO@example.jp", "hanako@example.jp") == first_html
    # The link to an application (/signups/<token>/…) is only e-mailed.
    assert not re.search(r"/signups/(?!apply/)[^/\s\"']+/", again_html + fresh_html)

    assert Applicant.objects.filter(email__iexact="hanako@example.jp").count() == 1
    assert not Applicant.objects.filter(name="偽物").exists()
    (told,) = [m for m in mail.outbox if m.to == ["hanako@example.jp"]]
    assert "もう一度お申し込みがありました" in told.body and owner_link in told.body


# ---------------------------------------------------------------------------
# The links in the e-mails


@pytest.fixture
def applied(client, area_a, django_capture_on_commit_callbacks):
    posting = make_posting(area_a)
    with django_capture_on_commit_callbacks(execute=True):
        _apply(client, posting, ip="192.0.2.44")
    return posting, _link(mail.outbox[-1], "confirm")


def test_a_link_ends_after_the_retention_period_with_a_clear_page(client, applied, monkeypatch):
    posting, confirm = applied
    manage = confirm.replace("confirm/", "")
    assert client.get(manage).status_code == 200
    slot = Slot.objects.get(page=posting)

    _later(monkeypatch, slot.ends_at - timezone.now() + timedelta(days=settings.SIGNUP_RETENTION_DAYS - 1))
    assert client.get(manage).status_code == 200

    _later(
        monkeypatch, slot.ends_at - timezone.now() + timedelta(days=settings.SIGNUP_RETENTION_DAYS, hours=1)
    )
    for url in (manage, confirm, manage + "withdraw/"):
        response = client.get(url)
        assert response.status_code == 410, url
        assert "このリンクの有効期限は終了しました" in response.content.decode()

    services.delete_personal_data()
    assert client.get(manage).status_code == 410  # deleted: the same page
    assert client.get(manage.replace(":", ":x")).status_code == 404  # a link we never made


def test_confirming_after_withdrawing_shows_the_withdrawn_state(
    client, applied, django_capture_on_commit_callbacks
):
    _posting, confirm = applied
    manage = confirm.replace("confirm/", "")
    client.post(manage + "withdraw/", {"signup": "all"})

    with django_capture_on_commit_callbacks(execute=True):
        html = client.get(confirm, follow=True).content.decode()
    assert "この申込はすでに取り消されています" in html and "申込が確定しました" not in html
    assert not Notification.objects.filter(kind=Kind.APPLICATION).exists()


def test_confirming_too_late_says_so_and_the_place_is_gone(client, applied, monkeypatch):
    posting, confirm = applied
    _later(monkeypatch, settings.SIGNUP_CONFIRM_WITHIN + timedelta(minutes=1))

    html = client.get(confirm, follow=True).content.decode()
    assert "確定の期限が過ぎた" in html and "申込が確定しました" not in html
    assert reverse("signups:apply", args=[posting.pk]) in html
    assert Signup.objects.get().status == Signup.Status.EXPIRED
    assert not Applicant.objects.get().is_confirmed


# ---------------------------------------------------------------------------
# The README states these numbers


def test_the_readme_states_the_defaults_and_what_one_connection_can_block():
    text = README.read_text()
    minutes = int(settings.SIGNUP_CONFIRM_WITHIN.total_seconds() // 60)
    per_ip, slots = settings.SIGNUP_UNCONFIRMED_PER_IP, settings.SIGNUP_MAX_SLOTS_PER_APPLICATION
    for name, default in (
        ("SIGNUP_CONFIRM_MINUTES", minutes),
        ("SIGNUP_UNCONFIRMED_PER_IP", per_ip),
        ("SIGNUP_UNCONFIRMED_PER_EMAIL", settings.SIGNUP_UNCONFIRMED_PER_EMAIL),
        ("SIGNUP_MAX_SLOTS_PER_APPLICATION", slots),
        ("SIGNUP_RATE_LIMIT", settings.SIGNUP_RATE_LIMIT),
    ):
        assert f"| `{name}` | `{default}` |" in text, name
    assert f"at most {per_ip * slots} places ({per_ip} applications × {slots} shifts)" in text
    assert f"for at most {minutes} minutes" in text
