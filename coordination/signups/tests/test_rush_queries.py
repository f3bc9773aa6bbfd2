"""What the opening rush's personal steps cost in queries (issue 30): sending the form and its
"sent" page, then the confirmation link and the application's page. Each bound is below what the
step cost before session 12, and the pages still show what they showed, to the same people."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from coordination.signups import links
from coordination.signups.links import applicant_token
from coordination.signups.models import Applicant, Signup, Slot
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONTACT = "子育て支援拠点 045-000-0000"


@pytest.fixture
def posting(area_a):
    return make_posting(area_a, contact_phone="045-000-0000", contact_section="子育て支援拠点")


def _form(client, page):
    """The form's data, as a browser sends it back: its token, the only slot, name and address."""
    url = reverse("signups:apply", args=[page.pk])
    token = TOKEN.search(client.get(url).content.decode()).group(1)
    return {
        "csrfmiddlewaretoken": token,
        "slots": [str(Slot.objects.get(page=page).pk)],
        "name": "旭 花子",
        "consent": "on",
        "website": "",
    }


def _send(client, page, email, data=None):
    data = data or _form(client, page)
    return client.post(reverse("signups:apply", args=[page.pk]), {**data, "email": email})


def _page_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if "wagtailcore_page" in q["sql"] or "volunteering_" in q["sql"]]


def test_the_sent_page_is_shown_from_the_session_alone(posting):
    client = Client(enforce_csrf_checks=True)
    sent = _send(client, posting, "hanako@example.jp")
    assert sent.status_code == 302
    with CaptureQueriesContext(connection) as queries:
        page = client.get(sent["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "hanako@example.jp" in html and "ひろばの準備ボランティア" in html and CONTACT in html
    assert "<title>ひろばの準備ボランティア" not in html  # its own title, as before
    assert _page_reads(queries) == []  # before: the page read again, 4 queries
    assert len(queries) <= 1, [q["sql"] for q in queries]  # the session


def test_sending_the_form_and_seeing_it_sent_stay_within_their_queries(
    posting, django_capture_on_commit_callbacks
):
    client = Client(enforce_csrf_checks=True)
    data = _form(client, posting)
    # The e-mail is sent once the application is committed: on leaving the outer block, after
    # the queries are counted (with Redis a worker sends it, out of the request).
    with django_capture_on_commit_callbacks(execute=True):
        with CaptureQueriesContext(connection) as queries:
            response = _send(client, posting, "taro@example.jp", data)
            client.get(response["Location"])
    assert response.status_code == 302
    (message,) = mail.outbox  # exactly one e-mail, listing the choice and what it got
    slot = Slot.objects.get(page=posting)
    with translation.override("ja"):
        assert f"・{slot.label}（{slot.place}）: {Signup.Status.PLACED.label}" in message.body
    # Before session 12: 26 here (35 on PostgreSQL, bench/rush_steps.py): the "sent" page read
    # the page again, with its restrictions, its type's row and its organisers; the form sent
    # back asked which slot to preselect; the e-mail read again the signups just written.
    assert len(queries) <= 23, [q["sql"] for q in queries]


def test_the_confirmation_and_the_application_page_stay_within_their_queries(posting):
    client = Client(enforce_csrf_checks=True)
    _send(client, posting, "jiro@example.jp")
    token = applicant_token(Applicant.objects.get(email="jiro@example.jp"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("signups:confirm", args=[token]), follow=True)
    # Before session 12: 21 here (25 on PostgreSQL): the page's row read apart from the
    # application's, twice; the application read again after confirming it; its signups three times.
    assert len(queries) <= 16, [q["sql"] for q in queries]
    assert page.status_code == 200 and "ひろばの準備ボランティア" in page.content.decode()
    assert Applicant.objects.get(email="jiro@example.jp").confirmed_at is not None


@pytest.mark.parametrize("on", ["page", "area"])
@pytest.mark.parametrize("kind", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_a_restricted_page_takes_no_application_nor_shows_a_sent_page(posting, area_a, on, kind):
    restricted = posting if on == "page" else area_a
    PageViewRestriction.objects.create(page=restricted, restriction_type=kind, password="hiroba")
    client = Client()
    url = reverse("signups:apply", args=[posting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "旭 花子"}).status_code == 404
    sent = reverse("signups:sent", kwargs={"page_id": posting.pk, "key": "made-up"})
    assert client.get(sent).status_code == 404


@pytest.mark.parametrize("undated", [False, True])
def test_a_link_works_until_the_retention_period_after_the_last_date(posting, settings, undated):
    slot = Slot.objects.get(page=posting)
    later = slot.starts_at + timedelta(days=7)
    Slot.objects.create(page=posting, key="later", label="later", starts_at=later)
    if undated:  # a regular weekly shift: no last date, the link keeps working
        Slot.objects.create(page=posting, key="weekly", label="weekly", weekday=1)
    ends = links.link_ends_at(Applicant(page=posting))
    assert ends == (None if undated else later + timedelta(days=settings.SIGNUP_RETENTION_DAYS))
