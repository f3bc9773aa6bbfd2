"""The Wagtail Site follows SITE_URL, so nothing public points to http://localhost/."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Site

from cms.demo import load_demo_data
from coordination.events.models import EventPage

pytestmark = pytest.mark.django_db
PUBLIC = "https://tsunagu.example"


@pytest.fixture
def public_site(settings):
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["tsunagu.example"]
    load_demo_data(with_accounts=True)  # the demo has events, postings and meetings
    return Site.objects.get(is_default_site=True)


def test_the_site_takes_the_public_address(public_site):
    assert (public_site.hostname, public_site.port) == ("tsunagu.example", 443)
    assert public_site.root_url == PUBLIC


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap.xml",
        reverse("events:calendar_ics"),
        reverse("events:area_calendar_ics", args=["area-01"]),
        reverse("events:rss"),
        reverse("events:atom"),
    ],
)
def test_no_public_output_names_localhost(client, public_site, url):
    response = client.get(url, HTTP_HOST="tsunagu.example", secure=True)

    assert response.status_code == 200
    body = response.content.decode()
    assert "localhost" not in body
    assert "tsunagu.example" in body


def test_an_event_page_and_its_full_address(client, public_site):
    event = EventPage.objects.live().first()
    assert event.full_url.startswith(PUBLIC + "/")
    page = client.get(event.url, HTTP_HOST="tsunagu.example", secure=True)
    assert page.status_code == 200 and "localhost" not in page.content.decode()


def test_migrate_points_the_site_at_site_url(settings, demo_site):
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    settings.SITE_URL = "http://tsunagu.example:8080"

    call_command("migrate", verbosity=0)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("tsunagu.example", 8080)
