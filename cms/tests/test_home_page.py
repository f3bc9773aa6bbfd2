"""The home page serves parents first: this week's events near them, then volunteering, then the network."""

import pytest

from coordination.events.tests.test_events_list import one_off

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_this_weeks_events_and_not_later_ones(client, area_a):
    one_off(area_a, "今週のおはなし会", 2)
    one_off(area_a, "来月の親子体操", 30)

    html = client.get("/").content.decode()

    assert "今週のおはなし会" in html and "来月の親子体操" not in html


def test_coming_from_their_area_a_parent_sees_that_areas_events(client, area_a, area_b):
    one_off(area_a, "今宿西のひろば", 1)
    one_off(area_b, "白根のひろば", 1)

    html = client.get("/", {"area": area_b.code}).content.decode()

    assert "白根のひろば" in html and "今宿西のひろば" not in html
    assert "白根エリア" in html.split('id="home-events-heading"')[1].split("</h2>")[0]
