"""Ten years of partner-only meetings: the public pages still answer, and never list them.

Wagtail's `.public()` wrote one OR per restricted page; SQLite refused the query past about a
thousand of them ("Expression tree is too large"), so the area index, the area pages, the events
and search would fail once an area had held its meetings for a few years.
"""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from areas.access import partner_groups
from areas.models import AreaPage
from bench.history import add_pages
from coordination.meetings.models import MeetingPage

pytestmark = pytest.mark.django_db

RESTRICTED = 2_000


@pytest.fixture(scope="module")
def restricted_meetings(demo_world):
    """Built once for the four pages, on the shared demo site."""
    with demo_world():
        yield _restricted_meetings(AreaPage.objects.get(code="area-01"))


def _restricted_meetings(area_a):
    start = timezone.make_aware(datetime(2020, 4, 1, 10))
    ids = add_pages(
        area_a,
        MeetingPage,
        [
            {
                "title": f"非公開の会議 {n}",
                "slug": f"secret-{n}",
                "start": start,
                "end": start + timedelta(hours=2),
            }
            for n in range(RESTRICTED)
        ],
    )
    restrictions = PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page_id=pk, restriction_type=PageViewRestriction.GROUPS) for pk in ids]
    )
    group = partner_groups(area_a)[0]
    for restriction in restrictions[:5]:
        restriction.groups.add(group)
    return ids


@pytest.mark.parametrize("url", ["/areas/", "/areas/area-01/", "/events/list/", "/search/?q=会議"])
def test_public_pages_answer_with_thousands_of_restricted_pages(client, restricted_meetings, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "非公開の会議" not in response.content.decode()
