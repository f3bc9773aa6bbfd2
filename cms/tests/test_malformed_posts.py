"""A form post its own page would never send answers 400, not 500."""

import pytest
from django.urls import reverse

from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from cms.models import ContentPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(area_a):
    page = ContentPage(title="ひろばのご案内", slug="hiroba", summary="ひろばの案内です。")
    area_a.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_an_admin_post_without_the_streamfields_count_answers_400(client, area_a, page):
    log_in_with_second_factor(
        client, MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    )
    client.raise_request_exception = False

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {"title": "ひろばのご案内（改）", "slug": "hiroba", "summary": "ひろばの案内です。"},
    )

    assert response.status_code == 400
    page.refresh_from_db()
    assert page.title == "ひろばのご案内" and not page.has_unpublished_changes
