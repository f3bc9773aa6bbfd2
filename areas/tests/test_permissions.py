"""The permission matrix: roles × own area / another area × add, edit, publish."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from areas.models import AreaPage, Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from cms.models import ContentPage

pytestmark = pytest.mark.django_db

EXPECTED = {
    # role: {area: (add, edit, publish)}
    "network_admin": {"own": (True, True, True), "other": (True, True, True)},
    "coordinator": {"own": (True, True, True), "other": (False, False, False)},
    "member": {"own": (True, True, False), "other": (False, False, False)},
}


@pytest.fixture
def areas(demo_site):
    return AreaPage.objects.get(code="area-01"), AreaPage.objects.get(code="area-02")


def _existing_child(area):
    page = ContentPage(title=f"{area.title}のお知らせ", slug=f"news-{area.code}")
    area.add_child(instance=page)
    page.save_revision().publish()
    return page


def _person(role, own_area):
    organisation = OrganisationFactory(areas=[own_area])
    membership = MembershipFactory(
        organisation=organisation,
        role=role,
        coordinated_areas=[own_area] if role == Membership.Role.COORDINATOR else [],
    )
    return membership.user


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("which", ["own", "other"])
def test_wagtail_permission_policy_follows_memberships(areas, role, which):
    own, other = areas
    user = _person(role, own)
    area = own if which == "own" else other
    child = _existing_child(area)

    add = area.permissions_for_user(user).can_add_subpage()
    edit = child.permissions_for_user(user).can_edit()
    publish = child.permissions_for_user(user).can_publish()

    assert (add, edit, publish) == EXPECTED[role][which]


def _page_form(title, slug, action):
    data = nested_form_data(
        {"title": title, "slug": slug, "summary": "", "body": streamfield([]), "note": rich_text("")}
    )
    if action:
        data[action] = action
    return data


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("which", ["own", "other"])
def test_admin_views_allow_and_refuse_as_the_matrix_says(client, areas, role, which):
    own, other = areas
    user = _person(role, own)
    area = own if which == "own" else other
    child = _existing_child(area)
    can_add, can_edit, can_publish = EXPECTED[role][which]
    if role == Membership.Role.MEMBER:
        client.force_login(user)
    else:  # they must have passed a second factor to open the admin
        log_in_with_second_factor(client, user)

    add_url = f"/admin/pages/add/cms/contentpage/{area.pk}/"
    client.post(add_url, _page_form("出張ひろばの下書き", "draft-by-partner", None))
    assert ContentPage.objects.filter(slug="draft-by-partner").exists() is can_add

    edit_url = f"/admin/pages/{child.pk}/edit/"
    client.post(edit_url, _page_form("書き換えたお知らせ", child.slug, None))
    child.refresh_from_db()
    assert (child.get_latest_revision().content["title"] == "書き換えたお知らせ") is can_edit

    client.post(edit_url, _page_form("公開したお知らせ", child.slug, "action-publish"))
    child.refresh_from_db()
    assert (child.title == "公開したお知らせ") is can_publish
