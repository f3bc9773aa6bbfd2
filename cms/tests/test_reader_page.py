"""A reader's page kept whole, never stale (issue 30, cms.reader_page).

Each test reads a logged-in page until it is kept, changes what a reader could tell apart (the
reader, the device, the session, the data, a message), and reads it again: the page must be the
one rendered for that reader now, never the kept one.
"""

import re
import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import AreaPage, PartnerOrganisation
from areas.tests.factories import UserFactory, log_in_with_second_factor
from cms.models import User
from cms.page_cache import UNREAD_TABLES
from coordination.notifications.models import Audience, Delivery, Kind
from coordination.notifications.services import notify

pytestmark = pytest.mark.django_db

PARTNER, COORDINATOR = "partner@tsunagu.example", "coordinator@tsunagu.example"
PAGES = {
    "dashboard": ("/dashboard/", PARTNER),
    "inbox": ("/notifications/", PARTNER),
    "partner area": ("area-01", PARTNER),
    "partner events": ("/events/list/", PARTNER),
    "report": ("/activity/report/", COORDINATOR),
}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def kept(page_cache):
    return page_cache


def _reader(email=PARTNER, **client_options) -> Client:
    client = Client(**client_options)
    user = User.objects.get(email=email)
    if email == COORDINATOR:
        log_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    return client


def _path(path) -> str:
    return path if path.startswith("/") else AreaPage.objects.get(code=path).url


def _read(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _keep(client, path) -> str:
    """Read until kept: the first response sets the CSRF cookie, the second (whose request carries
    it) is stored."""
    _read(client, path)
    return _read(client, path)


def _fresh(client, path, settings) -> str:
    """The page rendered for this client now, with no cache at all (the form token aside)."""
    settings.PAGE_CACHE_SECONDS = 0
    try:
        return TOKEN.sub("", _read(client, path))
    finally:
        settings.PAGE_CACHE_SECONDS = 600


@pytest.mark.parametrize("page", PAGES)
def test_a_kept_page_costs_one_session_read_and_is_the_page_rendered(full_demo, kept, settings, page):
    path, email = PAGES[page]
    path, client = _path(path), _reader(email)
    _read(client, path)
    with CaptureQueriesContext(connection) as rendered:
        stored = _read(client, path)
    # The tables whose writes replace neither generation are read by none of these pages.
    read = " ".join(query["sql"] for query in rendered.captured_queries[1:]).lower()
    assert not [table for table in UNREAD_TABLES if table in read]
    with CaptureQueriesContext(connection) as served:
        response = client.get(path)
    assert len(rendered) > 3 and len(served) == 1  # the session, read before anything else
    assert served.captured_queries[0]["sql"].startswith('SELECT "django_session"')
    assert response.content.decode() == stored
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert TOKEN.sub("", stored) == _fresh(client, path, settings)


def test_a_kept_page_never_reaches_another_reader_nor_another_device(full_demo, kept, settings):
    partner, stranger = _reader(), Client()
    stranger.force_login(UserFactory(first_name="Hanako"))
    own = _keep(partner, "/dashboard/")
    assert _read(partner, "/dashboard/") == own
    for _ in range(3):
        theirs = _read(stranger, "/dashboard/")
        assert theirs != own and TOKEN.sub("", theirs) == _fresh(stranger, "/dashboard/", settings)

    # The same person on a second device: their own session and CSRF cookie, so their own page,
    # whose form token works with their cookie (and the first device's does not).
    phone = _reader(enforce_csrf_checks=True)
    _keep(phone, "/notifications/")
    page = _read(phone, "/notifications/")
    laptop_token = TOKEN.search(_keep(partner, "/notifications/")).group(1)
    assert TOKEN.search(page).group(1) != laptop_token
    mark_all = reverse("notifications:read_all")
    # A new CSRF cookie in the same session (cleared, expired): a page with a token for it.
    phone.cookies[settings.CSRF_COOKIE_NAME] = "n" * 32
    page = _read(phone, "/notifications/")
    assert phone.post(mark_all, {"csrfmiddlewaretoken": laptop_token}).status_code == 403
    assert phone.post(mark_all, {"csrfmiddlewaretoken": TOKEN.search(page).group(1)}).status_code == 302


def test_after_log_out_the_old_cookie_gets_no_kept_page(full_demo, kept):
    partner = _reader()
    page = _keep(partner, "/dashboard/")
    assert _read(partner, "/dashboard/") == page
    old = {name: morsel.value for name, morsel in partner.cookies.items()}
    assert partner.post(reverse("account_logout")).status_code == 302

    thief = Client()
    for name, value in old.items():
        thief.cookies[name] = value
    response = thief.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_delivered_or_read_notification_shows_at_once(
    full_demo, kept, settings, django_capture_on_commit_callbacks
):
    partner = _reader()
    user = User.objects.get(email=PARTNER)
    before = _keep(partner, "/notifications/")
    assert _read(partner, "/notifications/") == before
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.MEETING, title="新しいお知らせ 4月の連携会議", audience=Audience.PERSON, person=user)
    assert Delivery.objects.filter(user=user, notification__title__startswith="新しいお知らせ").exists()
    for path in ("/notifications/", "/dashboard/"):  # the inbox, and the header's count on every page
        assert TOKEN.sub("", _read(partner, path)) == _fresh(partner, path, settings)
    arrived = _read(partner, "/notifications/")
    assert "新しいお知らせ" in arrived and arrived != before

    delivery = Delivery.objects.get(
        user=user, channel=Delivery.Channel.INBOX, notification__title__startswith="新しいお知らせ"
    )
    partner.post(reverse("notifications:read", args=[delivery.pk]))
    _read(partner, "/notifications/")  # shows the message the post left, if any
    read = _read(partner, "/notifications/")
    assert read != arrived and TOKEN.sub("", read) == _fresh(partner, "/notifications/", settings)


def test_a_write_to_a_shown_table_changes_the_dashboard_at_once(full_demo, kept, settings):
    partner = _reader()
    before = _keep(partner, "/dashboard/")
    organisation = PartnerOrganisation.objects.filter(memberships__user__email=PARTNER).first()
    assert organisation.name in before
    PartnerOrganisation.objects.filter(pk=organisation.pk).update(name="あさひ子育てひろば（新）")
    after = _read(partner, "/dashboard/")
    assert "あさひ子育てひろば（新）" in after and organisation.name not in after


def _generations():
    return caches["pages"].get_many(["generation", "personal-generation"])


def _pass_second_factor(client, user, authenticator) -> None:
    """What allauth records in the same session once the code is entered (the session's key stays)."""
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def test_a_page_kept_before_the_second_factor_is_not_served_after_it(full_demo, kept, settings):
    coordinator = Client()
    user = User.objects.get(email=COORDINATOR)
    authenticator, _created = Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    coordinator.force_login(user)
    before = _keep(coordinator, "/dashboard/")
    assert _read(coordinator, "/dashboard/") == before
    key, generations = coordinator.cookies["sessionid"].value, _generations()

    _pass_second_factor(coordinator, user, authenticator)
    # Only the session changed: nothing was written that either generation watches.
    assert coordinator.cookies["sessionid"].value == key and _generations() == generations
    after = _read(coordinator, "/dashboard/")
    assert after != before
    assert TOKEN.sub("", after) == _fresh(coordinator, "/dashboard/", settings)


def _leave_message(client, text) -> None:
    """What a view does after saving: a message in the configured storage (the messages cookie, or
    the session), left for the next page; nothing else is written."""
    request = RequestFactory().get("/")
    request.session, request.COOKIES = client.session, {k: m.value for k, m in client.cookies.items()}
    request._messages = default_storage(request)
    messages.success(request, text)
    response = HttpResponse()
    request._messages.update(response)
    request.session.save()
    for name, morsel in response.cookies.items():
        client.cookies[name] = morsel.value


@pytest.mark.parametrize("storage", ["CookieStorage", "SessionStorage"])
def test_a_message_added_after_saving_shows_on_the_next_page(full_demo, kept, settings, storage):
    settings.MESSAGE_STORAGE = (
        f"{SessionStorage.__module__.rsplit('.', 1)[0]}.{storage.lower()[:-7]}.{storage}"
    )
    partner = _reader()
    before = _keep(partner, "/dashboard/")
    assert _read(partner, "/dashboard/") == before
    generations = _generations()
    _leave_message(partner, "会議の記録を保存しました。")
    assert _generations() == generations
    assert "会議の記録を保存しました。" in _read(partner, "/dashboard/")
    again = _read(partner, "/dashboard/")  # shown once, as Django's messages are
    assert "会議の記録を保存しました。" not in again
    assert TOKEN.sub("", again) == _fresh(partner, "/dashboard/", settings)
