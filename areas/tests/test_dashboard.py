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


def _member_of(user, count):
    areas = list(AreaPage.objects.order_by("path")[:count])
    for index, area in enumerate(areas):
        MembershipFactory(
            user=user,
            organisation=OrganisationFactory(areas=[area]),
            role=Membership.Role.COORDINATOR if index % 2 else Membership.Role.MEMBER,
            coordinated_areas=[area] if index % 2 else [],
        )


def test_the_dashboard_query_count_does_not_grow_with_memberships(
    every_page_rendered, client, demo_site, django_assert_max_num_queries
):
    few, many = UserFactory(), UserFactory()
    _member_of(few, 2)
    _member_of(many, 8)

    counts = []
    for user in (few, many):
        client.force_login(user)
        client.get(reverse("dashboard"))  # warm the site root cache
        with django_assert_max_num_queries(40) as captured:
            assert client.get(reverse("dashboard")).status_code == 200
        counts.append(len(captured))
    assert counts[1] == counts[0], counts


def test_a_logged_in_partner_sees_only_public_contact_in_the_directory(client, demo_site):
    area = AreaPage.objects.get(code="area-01")
    membership = MembershipFactory(organisation=OrganisationFactory(name="わかば保育園", areas=[area]))
    client.force_login(MembershipFactory(organisation=OrganisationFactory(areas=[area])).user)

    html = client.get(area.url).content.decode()

    assert "わかば保育園" in html
    assert membership.user.email not in html
