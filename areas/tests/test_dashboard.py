import pytest
from django.urls import reverse

from areas.models import AreaPage, Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_asked_to_log_in(client, demo_site):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_member_sees_organisations_roles_and_areas_with_what_they_can_do(client, demo_site):
    area_a = AreaPage.objects.get(code="area-01")
    area_b = AreaPage.objects.get(code="area-02")
    user = UserFactory()
    MembershipFactory(user=user, organisation=OrganisationFactory(name="わかば保育園", areas=[area_a]))
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(name="しらねサロン", areas=[area_b]),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area_b],
    )
    client.force_login(user)

    html = client.get(reverse("dashboard")).content.decode()

    assert "わかば保育園" in html and "連携団体メンバー" in html
    assert "しらねサロン" in html and "エリアコーディネーター（白根エリア）" in html
    assert f'href="/admin/pages/{area_a.pk}/"' in html
    assert f'href="/admin/pages/{area_b.pk}/add_subpage/"' in html
    assert html.count("承認して公開できます") == 1  # only where they coordinate
    assert "若葉台エリア</a>" not in html.split('id="areas-heading"')[1]


def test_someone_without_an_organisation_is_told_how_to_join(client, demo_site):
    client.force_login(UserFactory())
    html = client.get(reverse("dashboard")).content.decode()
    assert "コーディネーターに招待を依頼してください" in html


def test_logging_in_lands_on_the_dashboard(client, demo_site):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "kosodate-2026-asahi"})
    assert response["Location"] == reverse("dashboard")
