"""The editor's organisation pickers: checkboxes under their area, and a plain "ask for approval"."""

import pytest
from django.urls import reverse

from areas.models import PartnerOrganisation
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor

pytestmark = pytest.mark.django_db


def _groups(html: str, field: str) -> dict[str, str]:
    """The picker's headings (legends) and the text under each."""
    picker = html.split(f'id="id_{field}"', 1)[1].split("</div>\n</div>", 1)[0]
    groups = {}
    for part in picker.split("<legend>")[1:]:
        legend, rest = part.split("</legend>", 1)
        groups[legend] = rest.split("</fieldset>")[0]
    return groups


def test_partners_tick_organisations_under_their_area(client, area_a, area_b):
    wakaba = OrganisationFactory(name="わかば保育園", areas=[area_a])
    OrganisationFactory(name="しらね幼稚園", areas=[area_b])
    partner = MembershipFactory(organisation=wakaba).user
    log_in_with_second_factor(client, partner)

    url = reverse("wagtailadmin_pages:add", args=["volunteering", "volunteerpostingpage", area_a.pk])
    html = client.get(url).content.decode()

    groups = _groups(html, "organisers")
    assert 'type="checkbox"' in groups[area_a.title] and "わかば保育園" in groups[area_a.title]
    assert "しらね幼稚園" in groups[area_b.title] and "わかば保育園" not in groups[area_b.title]
    ward_wide = next(iter(groups))  # serving every area, listed once, first
    assert PartnerOrganisation.objects.get(kind="ward_office").name in groups[ward_wide]
    assert all(
        PartnerOrganisation.objects.get(kind="ward_office").name not in groups[a.title]
        for a in (area_a, area_b)
    )
    # Within an area, its care plaza comes first.
    assert groups[area_a.title].index("地域ケアプラザ") < groups[area_a.title].index("わかば保育園")


def test_the_submit_button_says_plainly_that_it_asks_for_approval(client, area_a):
    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    log_in_with_second_factor(client, partner)

    url = reverse("wagtailadmin_pages:add", args=["volunteering", "volunteerpostingpage", area_a.pk])
    html = client.get(url).content.decode()

    assert "承認を依頼する（承認されると公開されます）" in html
    assert "area-01 承認" not in html
