"""The page cache: anonymous pages from one cache read, never stale, never a person's page.

Each test reads a page as a visitor would, changes what the page shows the way an editor, a
partner or an applicant would, and reads it again. The last test does so through a real
gunicorn with two worker processes sharing the file cache of the embedded default.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from areas.models import PartnerOrganisation
from areas.tests.factories import UserFactory
from cms.models import ContentPage
from conftest import worker_database_url
from coordination.events.calendar import CalendarFilter
from coordination.events.models import EventPage
from coordination.events.tests.test_events_feeds import make_event
from coordination.signups import services
from coordination.signups.filters import WhereAndWhenFilter
from coordination.signups.models import Slot
from coordination.volunteering.listing import PostingFilter
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db


def _text(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_cached_anonymous_page_costs_no_database_query(
    client, area_a, page_cache, django_assert_num_queries
):
    first = client.get(area_a.url)
    assert first["Cache-Control"] == "no-cache" and first["ETag"]
    with django_assert_num_queries(0):
        again = client.get(area_a.url)
    assert again.content == first.content
    with django_assert_num_queries(0):
        assert client.get(area_a.url, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_publish_unpublish_and_move_show_on_the_next_request(client, demo_site, area_a, area_b, page_cache):
    about = ContentPage.objects.get(slug="about")
    assert "つなぐについて" in _text(client, "/") and area_a.title in _text(client, "/")

    about.title = "つなぐのご案内"
    about.save_revision().publish()
    assert "つなぐのご案内" in _text(client, about.url)

    area_a.unpublish()
    assert area_a.title not in _text(client, "/")
    assert client.get(area_a.url).status_code == 404

    about.refresh_from_db()
    old_url = about.url
    about.move(area_b, pos="last-child")
    new_url = ContentPage.objects.get(pk=about.pk).url
    assert client.get(old_url)["Location"] == new_url  # Wagtail's automatic redirect
    assert "つなぐのご案内" in _text(client, new_url)


def test_a_changed_event_date_shows_on_the_event_and_the_calendar(client, area_a, page_cache):
    day = timezone.localdate() + timedelta(days=3)
    event = make_event(area_a, title="親子リトミック", repeat="", start_date=day, repeat_until=None)
    month = f"/events/?month={day:%Y-%m}"
    assert "親子リトミック" in _text(client, month)
    before = _text(client, event.url)

    moved = day + timedelta(days=40)
    event = EventPage.objects.get(pk=event.pk)
    event.start_date = moved
    event.save_revision().publish()
    assert _text(client, event.url) != before
    assert "親子リトミック" not in _text(client, month)
    assert "親子リトミック" in _text(client, f"/events/?month={moved:%Y-%m}")


def test_an_application_changes_places_left_at_once(client, area_a, page_cache):
    posting = make_posting(area_a)
    assert "残り2人" in _text(client, posting.url)
    slot = Slot.objects.get(page=posting)
    services.apply(posting, slot_ids=[slot.pk], name="旭 花子", email="hanako@example.jp")
    assert "残り1人" in _text(client, posting.url)


def test_a_partner_organisation_renamed_shows_on_its_area_page(client, area_a, page_cache):
    partner = area_a.partners.first()
    assert partner.name in _text(client, area_a.url)
    PartnerOrganisation.objects.filter(pk=partner.pk).update(name="新しい名前の地域ケアプラザ")
    assert "新しい名前の地域ケアプラザ" in _text(client, area_a.url)


def test_a_page_made_private_is_no_longer_served_from_the_cache(client, demo_site, page_cache):
    about = ContentPage.objects.get(slug="about")
    assert "つなぐについて" in _text(client, about.url)
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(about.url).status_code == 302
    assert client.get(about.url).status_code == 302


def test_a_partners_page_never_reaches_a_visitor_nor_the_other_way_round(client, area_a, page_cache):
    partner = UserFactory(email="partner-page@example.jp")
    logged_in = type(client)()
    logged_in.force_login(partner)
    account_link = "/accounts/logout/"

    assert account_link in _text(logged_in, area_a.url)  # the partner reads first: never stored
    assert account_link not in _text(client, area_a.url)
    assert account_link not in _text(client, area_a.url)  # now from the cache
    assert account_link in _text(logged_in, area_a.url)  # a session is never served the cached page
    response = logged_in.get(area_a.url)
    assert "ETag" not in response


def test_the_chosen_language_is_part_of_the_key(client, area_a, page_cache):
    japanese = _text(client, "/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _text(client, "/")
    assert english != japanese and 'lang="en"' in english
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert _text(client, "/") == japanese


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own gunicorn)
        return response.read().decode()


@pytest.mark.process
@pytest.mark.django_db(transaction=True)
def test_every_worker_process_sees_a_publish_at_once(demo_site, area_a, settings, tmp_path):
    """Two gunicorn workers share a file cache (the embedded default's); the editor publishes here."""
    settings.CACHES = {**settings.CACHES, "pages": {**settings.CACHES["pages"], "LOCATION": str(tmp_path)}}
    settings.CACHES["pages"]["BACKEND"] = "django.core.cache.backends.filebased.FileBasedCache"
    settings.PAGE_CACHE_SECONDS = 600
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": worker_database_url(),  # the test database, SQLite or PostgreSQL
        "PAGE_CACHE_SECONDS": "600",
        "PAGE_CACHE_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--log-level", "warning"],
        cwd=settings.BASE_DIR,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}{area_a.url}"
        deadline = time.monotonic() + 60  # two workers importing the site on a loaded machine
        while True:
            try:
                _get(url)
                break
            except OSError:
                assert server.poll() is None, "gunicorn stopped before it served a page"
                assert time.monotonic() < deadline, "gunicorn did not serve a page within 60 s"
                time.sleep(0.1)
        assert all(area_a.title in _get(url) for _ in range(10))  # stored, served by both workers
        area_a.title = "今宿西エリア（新）"
        area_a.save_revision().publish()
        pages = [_get(url) for _ in range(10)]
        assert all(re.search(r"今宿西エリア（新）", page) for page in pages)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_the_header_area_list_of_logged_in_pages_follows_an_unpublish(client, area_a, page_cache):
    """Logged-in pages are never cached, but their header's area list is (under the generation)."""
    client.force_login(UserFactory(email="reader@example.jp"))
    assert area_a.title in _text(client, "/dashboard/")
    area_a.unpublish()
    assert area_a.title not in _text(client, "/dashboard/")


def test_the_site_is_read_once_and_again_after_it_changes(client, demo_site, settings):
    """Wagtail's Site lookup is kept with the page cache; saving a Site clears it."""
    settings.PAGE_CACHE_SECONDS = 600
    client.force_login(UserFactory())  # logged in: the page itself is never cached

    def site_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return [q for q in captured if 'FROM "wagtailcore_site"' in q["sql"]]

    site_queries()
    assert site_queries() == []
    site = Site.objects.get(is_default_site=True)
    site.site_name = "つなぐ（改）"
    site.save()
    assert site_queries()  # read again (and Wagtail's own root paths, which it cleared)
    assert site_queries() == []


# --- the key holds what changes the page, and no more ------------------------------------------


def _entries(cache) -> int:
    return sum(1 for key in cache._cache if ":page:" in key)


def test_tracking_and_unknown_parameters_make_no_new_entry(
    client, area_a, page_cache, django_assert_num_queries
):
    first = client.get(area_a.url)
    assert _entries(page_cache) == 1

    for n in range(40):
        query = f"utm_source=x{n}&fbclid=f{n}&gclid=g{n}&utm_medium=mail&nonsense{n}={n}"
        with django_assert_num_queries(0):
            response = client.get(f"{area_a.url}?{query}")
        assert response.content == first.content

    assert _entries(page_cache) == 1


def test_an_unknown_parameter_is_not_seen_by_a_shared_page(client, area_a, page_cache):
    """A shared page is rendered from its known parameters only, so its entry is right for all."""
    page = _text(client, "/events/?utm_source=%3Cb%3Ezzz&area=" + area_a.code)

    assert "utm_source" not in page and "zzz" not in page


def test_the_calendars_filters_still_change_the_page(client, area_a, area_b, page_cache):
    own = _text(client, f"/events/?area={area_a.code}")
    other = _text(client, f"/events/?area={area_b.code}&utm_source=x")

    assert own != other
    assert _entries(page_cache) == 2


def test_another_port_or_name_in_the_host_header_makes_no_entry(client, area_a, page_cache, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    client.get(area_a.url)
    assert _entries(page_cache) == 1

    for port in range(8100, 8140):
        assert client.get(area_a.url, HTTP_HOST=f"testserver:{port}").status_code == 200
    assert client.get(area_a.url, HTTP_HOST="127.0.0.1").status_code == 200

    assert _entries(page_cache) == 2  # testserver and 127.0.0.1, each on its default port


def test_at_most_the_cap_of_pages_are_stored(client, area_a, page_cache, settings):
    settings.PAGE_CACHE_MAX_ENTRIES = 5

    for month in range(1, 13):
        assert client.get(f"/events/?month=2031-{month:02d}").status_code == 200

    assert _entries(page_cache) == 5


def test_logged_in_pages_are_private_and_not_stored_by_the_browser(client, area_a):
    client.force_login(UserFactory())

    for url in (area_a.url, "/events/", "/dashboard/", "/notifications/"):
        response = client.get(url)
        control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= control, url


def test_anonymous_shared_pages_stay_public(client, area_a, page_cache):
    assert "private" not in client.get(area_a.url).get("Cache-Control", "")


def test_every_filter_of_a_shared_page_is_in_the_cache_key():
    """The calendar's and the volunteer list's filters (the forms built on WhereAndWhenFilter)
    change a shared page, so its key holds each of them: a filter left out gave every visitor the
    page of whoever asked first (the volunteer list's 「向いている人」 and 「活動の種類」 did)."""
    forms = WhereAndWhenFilter.__subclasses__()
    assert {CalendarFilter, PostingFilter} <= set(forms)
    for form in forms:
        assert set(form.base_fields) <= set(settings.PAGE_CACHE_QUERY_PARAMETERS), form.__name__
