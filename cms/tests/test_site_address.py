"""The Wagtail Site follows SITE_URL, so nothing public points to http://localhost/."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Site

from areas.models import AreaPage
from cms.demo import load_demo_data
from coordination.events.models import EventPage
from coordination.events.tests.test_events_flyers import _scan_qr
from coordination.signups.forms import open_slots
from coordination.volunteering.models import VolunteerPostingPage

pytestmark = pytest.mark.django_db
PUBLIC = "https://tsunagu.example"


@pytest.fixture
def public_site(settings, full_demo):
    """The demo (events, postings and meetings) once its loader has run with SITE_URL set."""
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["tsunagu.example"]
    load_demo_data(with_accounts=True)
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


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")


def test_no_pdf_names_localhost_in_its_links_or_qr_codes(client, public_site, tmp_path):
    event = EventPage.objects.live().first()
    posting = VolunteerPostingPage.objects.live().first()
    area = AreaPage.objects.live().first()
    urls = [
        reverse("events:flyer_pdf", args=[event.pk]),
        reverse("events:area_overview_pdf", args=[area.code, timezone.localdate().strftime("%Y-%m")]),
        reverse("volunteering:flyer", args=[posting.pk]),
    ]
    for url in urls:
        response = client.get(url, HTTP_HOST="tsunagu.example", secure=True)
        assert response.status_code == 200
        text = _pdf_text(response.content)
        assert "localhost" not in text and "127.0.0.1" not in text
        if url != urls[0]:  # the event's code opens the map when it takes no registration
            assert _scan_qr(response.content, tmp_path).startswith(PUBLIC + "/"), url


def test_no_calendar_uid_names_localhost(client, public_site):
    body = client.get(reverse("events:calendar_ics"), HTTP_HOST="tsunagu.example", secure=True).content
    uids = [line for line in body.decode().splitlines() if line.startswith("UID:")]
    assert uids and all(line.endswith("@tsunagu.example") for line in uids)


def test_no_email_names_localhost(client, public_site, mailoutbox, django_capture_on_commit_callbacks):
    posting = next(p for p in VolunteerPostingPage.objects.live() if open_slots(p))
    with django_capture_on_commit_callbacks(execute=True):
        response = _apply(client, posting)
    assert response.status_code == 302
    assert mailoutbox
    for message in mailoutbox:
        bodies = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
        assert all("localhost" not in body and "127.0.0.1" not in body for body in bodies)
    assert any(PUBLIC in message.body for message in mailoutbox)


def _apply(client, posting):
    return client.post(
        reverse("signups:apply", args=[posting.pk]),
        {
            "slots": [str(open_slots(posting)[0].pk)],
            "name": "旭 花子",
            "email": "hanako@example.jp",
            "phone": "090-0000-0000",
            "consent": "on",
            "website": "",
        },
        HTTP_HOST="tsunagu.example",
        secure=True,
    )
