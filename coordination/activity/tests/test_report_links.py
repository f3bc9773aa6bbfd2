"""The yearly report is reached through links: from every privileged person's page and from the
admin menu, and from no plain partner's."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from areas.models import Membership
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    coordinator_of,
    log_in_with_second_factor,
)

pytestmark = pytest.mark.django_db

REPORT = reverse("activity:report")


def _link(page: str, text: str) -> str:
    """The address of the link whose text is `text` on the page."""
    found = re.findall(rf'<a href="([^"]*)"[^>]*>\s*{re.escape(text)}\s*</a>', page)
    assert found, f"no link 「{text}」"
    return unescape(found[0])


def _network_admin(area):
    return MembershipFactory(
        organisation=OrganisationFactory(areas=[area]), role=Membership.Role.NETWORK_ADMIN
    ).user


@pytest.mark.parametrize("who", ["network admin", "coordinator"])
def test_a_privileged_person_walks_from_their_page_to_the_report(client, area_a, who):
    user = _network_admin(area_a) if who == "network admin" else coordinator_of(area_a)
    log_in_with_second_factor(client, user)

    dashboard = client.get(reverse("dashboard")).content.decode()
    report = client.get(_link(dashboard, "評価報告"))

    assert report.status_code == 200
    assert "評価" in report.content.decode() and 'class="report-chart"' in report.content.decode()
    scope = "区全体" if who == "network admin" else area_a.title
    assert '<p class="report-scope"' in report.content.decode() and scope in report.content.decode()


def test_a_plain_partner_has_no_link_to_the_report(client, area_a):
    client.force_login(MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user)

    dashboard = client.get(reverse("dashboard")).content.decode()

    assert REPORT not in dashboard and "評価報告" not in dashboard


@pytest.mark.parametrize("who", ["network admin", "coordinator"])
def test_the_admin_menu_links_to_the_report(client, area_a, who):
    user = _network_admin(area_a) if who == "network admin" else coordinator_of(area_a)
    log_in_with_second_factor(client, user)

    admin = client.get(reverse("wagtailadmin_home")).content.decode()

    assert {"label": "評価報告", "url": REPORT} in _menu_links(admin)
    assert client.get(REPORT).status_code == 200


def _menu_links(admin_page: str) -> list[dict]:
    """The admin menu's links, from the data Wagtail draws its sidebar with."""
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', admin_page, re.S)
    links = []

    def walk(value):
        if isinstance(value, dict):
            if value.get("_type") == "wagtail.sidebar.LinkMenuItem":
                item = value["_args"][0]
                links.append({"label": item["label"], "url": item["url"]})
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(json.loads(props.group(1)))
    return links
