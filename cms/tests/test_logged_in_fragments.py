"""Logged-in pages read what is the same for everyone from shared fragments (issue 30): the events
list's days, an area page's events and postings, the report of an area. A fragment must hold
nothing of the reader who filled it: each page, read by one person after another whose rights or
choices differ, is exactly the page rendered for the second with no cache at all."""

import re

import pytest
from django.core.cache import caches
from django.test import Client

from areas.models import AreaPage
from areas.tests.factories import UserFactory, coordinator_of, log_in_with_second_factor
from cms.models import User
from coordination.notifications.models import EventSubscription

pytestmark = pytest.mark.django_db

#: What differs between two renders for the same person: the form token and the policy's nonce.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return PER_RESPONSE.sub("", response.content.decode())


def _readers(page):
    """Two readers of the page whose pages differ: in their rights, or in what they chose."""
    if page == "report":
        first, second = Client(), Client()
        log_in_with_second_factor(first, User.objects.get(email="coordinator@tsunagu.example"))
        log_in_with_second_factor(second, coordinator_of(AreaPage.objects.get(code="area-02")))
        return first, second
    partner = User.objects.get(email="partner@tsunagu.example")
    EventSubscription.objects.create(user=partner, area=AreaPage.objects.get(code="area-01"))
    first, second = Client(), Client()
    first.force_login(partner)
    second.force_login(UserFactory())
    return first, second


PAGES = {
    "events list": ("/events/list/", "events-days"),
    "events month": ("/events/", "events-days"),
    "area page": ("area-01", "area-events"),
    "report": ("/activity/report/", "report"),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_page_built_from_shared_fragments_is_the_readers_own(full_demo, settings, page):
    path, fragment = PAGES[page]
    if not path.startswith("/"):
        path = AreaPage.objects.get(code=path).url
    first, second = _readers(page)
    settings.PAGE_CACHE_SECONDS = 0
    own = [_page(first, path), _page(second, path)]
    assert own[0] != own[1]  # the two readers see different pages

    settings.PAGE_CACHE_SECONDS = 600
    cache = caches["pages"]
    cache.clear()
    assert _page(first, path) == own[0]  # fills the fragments
    assert any(f"fragment:{fragment}:" in key for key in cache._cache)
    assert _page(second, path) == own[1]  # from the fragments the first reader's page filled
    assert _page(first, path) == own[0]
    cache.clear()
