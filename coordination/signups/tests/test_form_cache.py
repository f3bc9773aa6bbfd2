"""The application form for strangers comes from the shared cache (issue 30, the opening rush):
one stored page, each visitor's own CSRF token put in, the places left read afresh each time, and
nothing of a logged-in person's page ever in it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from areas.tests.factories import UserFactory
from common.page_cache import CSRF_PLACEHOLDER
from coordination.signups import services
from coordination.signups.models import Applicant, Slot
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def posting(area_a):
    return make_posting(area_a)


def _form(client, page, query=""):
    response = client.get(reverse("signups:apply", args=[page.pk]) + query)
    assert response.status_code == 200
    return response, response.content.decode()


def _application(page, token, email):
    return {
        "csrfmiddlewaretoken": token,
        "slots": [str(Slot.objects.get(page=page).pk)],
        "name": "旭 花子",
        "email": email,
        "consent": "on",
        "website": "",
    }


def test_two_visitors_get_their_own_working_token_from_one_stored_form(
    posting, page_cache, django_assert_max_num_queries
):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    url = reverse("signups:apply", args=[posting.pk])
    _form(first, posting)  # rendered and stored
    with django_assert_max_num_queries(1):  # the places left, nothing else
        response, html = _form(second, posting)
    tokens = [TOKEN.search(_form(first, posting)[1]).group(1), TOKEN.search(html).group(1)]
    assert tokens[0] != tokens[1] and CSRF_PLACEHOLDER not in html
    assert "csrftoken" in response.cookies  # the visitor's secret, for the token to be checked against
    assert "ひろばの準備ボランティア" in html and "残り2人" in html

    refused = Client(enforce_csrf_checks=True).post(url, _application(posting, "", "nobody@example.jp"))
    assert refused.status_code == 403
    # A token is only good with the cookie it was made for.
    stranger = Client(enforce_csrf_checks=True)
    assert stranger.post(url, _application(posting, tokens[1], "thief@example.jp")).status_code == 403
    for client, token, email in zip((first, second), tokens, ("a@example.jp", "b@example.jp"), strict=True):
        sent = client.post(url, _application(posting, token, email))
        assert sent.status_code == 302 and "/sent/" in sent["Location"]
    assert set(Applicant.objects.filter(page=posting).values_list("email", flat=True)) == {
        "a@example.jp",
        "b@example.jp",
    }


def test_the_places_left_follow_every_application_and_a_full_form_stays_stored(
    client, posting, page_cache, django_assert_max_num_queries
):
    slot = Slot.objects.get(page=posting)
    assert "残り2人" in _form(client, posting)[1]
    services.apply(posting, slot_ids=[slot.pk], name="旭 一郎", email="ichiro@example.jp")
    assert "残り1人" in _form(client, posting)[1]
    services.apply(posting, slot_ids=[slot.pk], name="旭 次郎", email="jiro@example.jp")
    assert "満員" in _form(client, posting)[1]
    with django_assert_max_num_queries(1):
        assert "満員" in _form(Client(), posting)[1]


def test_an_edit_to_the_page_shows_at_once(client, posting, page_cache):
    assert "ひろばの準備ボランティア" in _form(client, posting)[1]
    posting.title = "えほんの読み聞かせボランティア"
    posting.save_revision().publish()
    html = _form(client, posting)[1]
    assert "えほんの読み聞かせボランティア" in html and "ひろばの準備ボランティア" not in html


def test_a_logged_in_persons_form_is_never_stored_nor_served_to_them(client, posting, page_cache):
    user = UserFactory()
    client.force_login(user)
    mine = _form(client, posting)[1]
    assert reverse("account_email") in mine  # their own header
    theirs = _form(Client(), posting)[1]
    assert reverse("account_email") not in theirs and reverse("account_login") in theirs
    # And a stranger's stored page is not what a logged-in person gets.
    assert reverse("account_email") in _form(client, posting)[1]


def test_the_date_chosen_is_kept_and_other_parameters_are_not_shown(client, posting, page_cache):
    _, plain = _form(client, posting)
    _, tracked = _form(client, posting, "?utm_source=line&fbclid=abc")
    assert "utm_source" not in tracked and "fbclid" not in tracked
    assert TOKEN.sub("", plain) == TOKEN.sub("", tracked)
    _, other_date = _form(client, posting, "?date=2099-01-01&utm_source=line")
    # The language switcher returns to the same form, with the date but not the tracking.
    assert "?date=2099-01-01" in other_date and "utm_source" not in other_date
