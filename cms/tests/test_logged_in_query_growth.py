"""The logged-in pages people open every week ask the database as often for a partner with 30
organisations, events, open action items, applications and notifications as for one with 3
(issue 15: no N+1 as a person's history grows). The counts are capped too, so a new query on
these pages is a decision, not an accident."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.models import AreaPage, Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from cms.models import User
from cms.page_cache import bump_generation
from common.page_cache import PERSONAL_GENERATION_KEY
from coordination.events.tests.test_events_feeds import make_event
from coordination.meetings.models import ActionItem, MeetingPage
from coordination.notifications.models import Audience, Delivery, Kind
from coordination.notifications.services import notify
from coordination.signups.models import Applicant, Signup, Slot
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db

#: What the pages cost now (session, user, then the page's own questions); see README, bench.
#: The dashboard's 19: 17, and since issue 26 the evaluation documents (whether the reader reviews
#: them, then the list) and which fiscal years are open for entry.
DASHBOARD_QUERIES = 19
INBOX_QUERIES = 7


def _history(user, size, capture_on_commit):
    """`size` organisations of the person across the 13 areas, each organising an event and a
    posting with an application, owning an open action item, and one notification each."""
    areas = list(AreaPage.objects.order_by("path"))
    today = timezone.localdate()
    for index in range(size):
        area = areas[index % len(areas)]
        organisation = OrganisationFactory(areas=[area])
        coordinates = index % 3 == 0
        role = Membership.Role.COORDINATOR if coordinates else Membership.Role.MEMBER
        MembershipFactory(
            user=user, organisation=organisation, role=role, coordinated_areas=[area] if coordinates else []
        )
        event = make_event(area, title=f"ひろば {index}", areas=[area], start_date=today + timedelta(days=7))
        event.organisers = [organisation]
        event.save_revision().publish()
        posting = make_posting(area, title=f"準備ボランティア {index}", organisation=organisation)
        applicant = Applicant.objects.create(
            page=posting,
            name=f"応募者{index}",
            email=f"a{index}@example.jp",
            consent_at=timezone.now(),
            confirmed_at=timezone.now(),
        )
        Signup.objects.create(
            slot=Slot.objects.filter(page=posting).first(), applicant=applicant, status=Signup.Status.PLACED
        )
        meeting = MeetingPage(
            title=f"連携会議 {index}",
            slug=f"renkei-{user.pk}-{index}",
            start=timezone.now() - timedelta(days=3),
            end=timezone.now() - timedelta(days=3, hours=-2),
        )
        meeting.action_items = [ActionItem(description=f"宿題 {index}", owner=organisation, due=today)]
        area.add_child(instance=meeting)
        meeting.save_revision().publish()
    for index in range(size):
        with capture_on_commit(execute=True):  # the fan-out runs after commit, as in production
            notify(kind=Kind.MEETING, title=f"お知らせ {index}", audience=Audience.PERSON, person=user)


#: What the person with 30 of everything sees at least (the dashboard lists 10 of a kind, the
#: inbox 20 a page), so the counts are of pages that show a long history.
SHOWN = {
    "dashboard": {"宿題 ": 10, "ひろば ": 10, "準備ボランティア ": 10},
    "notifications:inbox": {"お知らせ ": 20},
}


def _queries(client, url):
    """The queries of a render from the shared fragments, then of the reader's kept page."""
    client.get(url)  # the first request fills the page cache's shared fragments
    bump_generation(PERSONAL_GENERATION_KEY)  # the reader's kept page is out of date, not the fragments
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    return counts, response.content.decode()


@pytest.fixture(scope="module")
def histories(demo_world):
    """On the shared demo site, a partner with 3 of everything and one with 30, built once for both
    pages (building 33 organisations' events, postings and meetings is most of these tests' time)."""
    with demo_world():
        few, many = UserFactory(), UserFactory()
        _history(few, 3, TestCase.captureOnCommitCallbacks)
        _history(many, 30, TestCase.captureOnCommitCallbacks)
        yield few, many


@pytest.mark.parametrize(
    ("name", "cap"), [("dashboard", DASHBOARD_QUERIES), ("notifications:inbox", INBOX_QUERIES)]
)
def test_a_partner_with_thirty_of_everything_costs_the_same_queries_as_with_three(
    client, histories, settings, name, cap
):
    settings.PAGE_CACHE_SECONDS = 600
    few, many = (User.objects.get(pk=user.pk) for user in histories)
    assert Delivery.objects.filter(user=many, channel=Delivery.Channel.INBOX).count() >= 30

    counts = []
    for user in (few, many):
        client.force_login(user)
        count, page = _queries(client, reverse(name))
        counts.append(count)
    for text, least in SHOWN[name].items():
        assert page.count(text) >= least, text
    (rendered, kept), (rendered_many, kept_many) = counts
    assert rendered == rendered_many <= cap, counts
    assert kept == kept_many == 1, counts  # the session: the page is kept whole (cms.reader_page)
