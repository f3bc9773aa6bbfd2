"""conftest's `shares_page_cache`: in a module whose tests read one world and write nothing, the page
cache one test filled is there for the next, as for the next reader on the site; a test that wrote
or changed a setting leaves the next one an empty cache, as every unmarked test gets.

The tests run in this order (one module world goes whole to one worker)."""

import pytest
from django.core.cache import caches

from areas.models import AreaPage
from common.page_cache import GENERATION_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.shares_page_cache]

SEEN = {}


@pytest.fixture(scope="module")
def area(demo_world):
    with demo_world():
        yield AreaPage.objects.get(code="area-01")


def _page(client, area):
    response = client.get(area.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_reader_fills_the_cache(area, client):
    SEEN["page"] = _page(client, area)
    SEEN["generation"] = caches["pages"].get(GENERATION_KEY)
    assert SEEN["generation"] is not None


def test_the_next_test_finds_it_and_gets_the_same_page(area, client):
    assert caches["pages"].get(GENERATION_KEY) == SEEN["generation"]
    assert _page(client, area) == SEEN["page"]


def test_a_test_that_writes(area, client):
    AreaPage.objects.filter(pk=area.pk).update(title="書き換えたエリア")
    assert "書き換えたエリア" in _page(client, area)
    SEEN["written"] = caches["pages"].get(GENERATION_KEY)
    assert SEEN["written"] != SEEN["generation"]


def test_after_a_write_the_cache_was_emptied_and_the_write_rolled_back(area, client):
    assert caches["pages"].get(GENERATION_KEY) not in (SEEN["generation"], SEEN["written"])
    assert _page(client, area) == SEEN["page"]


def test_a_test_that_changes_a_setting(area, client, settings):
    settings.LANGUAGE_CODE = "en"
    _page(client, area)
    SEEN["changed"] = caches["pages"].get(GENERATION_KEY)


def test_after_a_setting_changed_the_cache_was_emptied(area):
    assert caches["pages"].get(GENERATION_KEY) != SEEN["changed"]
