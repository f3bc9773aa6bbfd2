"""Finding one's area by town block or station, and keeping the areas' data in the admin."""

import pytest
from django.urls import reverse

from areas.finder import normalise
from areas.loading import AREAS_CSV, sync_areas
from areas.models import AreaIndexPage, AreaPage
from areas.tests.factories import coordinator_of, log_in_with_second_factor
from cms.models import User

pytestmark = pytest.mark.django_db


def _find(client, query):
    response = client.get(reverse("find_area"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def _results(client, query) -> str:
    """The list of areas found, without the list of all areas below it (nor the header's menu)."""
    html = _find(client, query)
    if 'id="finder-results"' not in html:
        return ""
    return html.split('id="finder-results"')[1].split("</ul>")[0]


@pytest.mark.parametrize("typed", ["若葉台２丁目", "若葉台二丁目", "若葉台2-3-5", " 若葉台 2丁目 "])
def test_a_parent_finds_the_area_of_their_town_block_however_they_write_it(client, demo_site, typed):
    results = _results(client, typed)
    assert "若葉台エリア" in results and "白根エリア" not in results


def test_a_station_finds_its_area_with_or_without_駅(client, demo_site):
    for typed in ("鶴ケ峰駅", "鶴ヶ峰"):
        results = _results(client, typed)
        assert "白根エリア" in results and "若葉台エリア" not in results


def test_an_unknown_town_is_said_plainly_with_the_list_of_areas(client, demo_site):
    html = _find(client, "存在しない町")
    assert _results(client, "存在しない町") == ""
    assert "存在しない町" in html and "今宿西エリア" in html
    assert "being prepared" not in html and "準備中" not in html


def test_before_the_hub_fills_the_towns_the_page_says_so_and_lists_the_areas(client, demo_site):
    for area in AreaPage.objects.all():
        area.town_blocks = area.stations = ""
        area.save_revision().publish()

    html = _find(client, "若葉台2丁目")

    assert _results(client, "若葉台2丁目") == ""
    assert "being prepared" in html or "準備中" in html
    assert all(area.title in html for area in AreaPage.objects.live())


def test_the_home_page_offers_the_area_finder(client, demo_site):
    html = client.get("/").content.decode()
    assert f'action="{reverse("find_area")}"' in html


def test_the_spellings_people_use_become_one():
    assert normalise("二俣川２丁目３－５") == normalise("二俣川2丁目") == "二俣川2丁目"
    assert normalise("鶴ケ峰駅") == normalise("鶴ヶ峰")


def _edit_form(client, area) -> str:
    response = client.get(reverse("wagtailadmin_pages:edit", args=[area.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_network_admins_edit_the_town_blocks_in_the_admin_and_coordinators_cannot(client, area_a):
    admin = User.objects.create_superuser(email="hub@example.jp", password="x")
    log_in_with_second_factor(client, admin)
    assert 'name="town_blocks"' in _edit_form(client, area_a)

    coordinator = coordinator_of(area_a)
    client.logout()
    log_in_with_second_factor(client, coordinator)
    html = _edit_form(client, area_a)
    assert 'name="town_blocks"' not in html and 'name="stations"' not in html


def test_loading_the_file_again_keeps_the_town_blocks_typed_in_the_admin(area_a):
    area_a.town_blocks = "今宿西町\n今宿町"
    area_a.save_revision().publish()

    sync_areas(index_page=AreaIndexPage.objects.get(), path=AREAS_CSV)

    area_a.refresh_from_db()
    assert area_a.town_block_list == ["今宿西町", "今宿町"]
