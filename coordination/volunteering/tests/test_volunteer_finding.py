"""Finding something to do: the home page's asks and filters, and results that say why they matched."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db


def _next(weekday: int, weeks=2):
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


@pytest.fixture
def tuesdays_and_one_sunday(area_a):
    """A posting announced as 「毎月第2火曜」 with one Sunday shift among its Tuesday ones."""
    return make_posting(
        area_a,
        title="ひろばの見守りボランティア",
        schedule="毎月第2火曜 9:30〜12:00",
        for_students=True,
        for_seniors=False,
        shifts=[
            {"date": _next(1), "start_time": time(9, 30), "end_time": time(12), "capacity": 2},
            {
                "date": _next(6),
                "start_time": time(13),
                "end_time": time(15),
                "capacity": 2,
                "label": "日曜ひろば",
            },
        ],
    )


def _card(html: str, title: str) -> str:
    return html.split(title)[1].split("</li>")[0]


def test_a_sunday_search_shows_the_sunday_shift_that_matched(client, tuesdays_and_one_sunday):
    sunday = _next(6)

    html = client.get("/volunteer/", {"weekday": 6}).content.decode()

    card = _card(html, "ひろばの見守りボランティア")
    assert f"{sunday.month}月{sunday.day}日（日）13:00〜15:00" in card
    why = card.split("posting__why")[1].split("</span>")[0]
    assert "日曜ひろば" in why and "火）" not in why


def test_without_a_day_or_time_the_list_gives_the_postings_own_schedule(client, tuesdays_and_one_sunday):
    html = client.get("/volunteer/").content.decode()
    assert "posting__why" not in html and "毎月第2火曜" in _card(html, "ひろばの見守りボランティア")


def test_students_and_seniors_filter_on_who_the_posting_suits(client, tuesdays_and_one_sunday, area_a):
    make_posting(area_a, title="シニア向けの読み聞かせ", for_seniors=True)

    students = client.get("/volunteer/", {"suits": "students"}).content.decode()
    seniors = client.get("/volunteer/", {"suits": "seniors"}).content.decode()

    assert "ひろばの見守りボランティア" in students and "シニア向けの読み聞かせ" not in students
    assert "シニア向けの読み聞かせ" in seniors and "ひろばの見守りボランティア" not in seniors


def test_the_home_page_offers_open_asks_with_filters_to_tap(client, tuesdays_and_one_sunday):
    html = client.get("/").content.decode()
    assert "ひろばの見守りボランティア" in html
    for query in ("suits=students", "suits=seniors", "time=evening", "weekday=6"):
        assert f'href="/volunteer/?{query}"' in html
