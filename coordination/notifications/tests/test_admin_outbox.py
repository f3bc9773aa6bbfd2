"""The outbox in the admin: network admins see which e-mails the mail server refused, never their text."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from areas.models import Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from common.models import OutgoingEmail

pytestmark = pytest.mark.django_db

RESET_LINK = "https://tsunagu.example/accounts/password/reset/key/abc-123/"


@pytest.fixture
def refused(demo_site):
    return OutgoingEmail.objects.create(
        message={
            "subject": "パスワードの再設定",
            "to": ["parent@example.jp"],
            "body": f"こちらから: {RESET_LINK}",
        },
        state=OutgoingEmail.State.FAILED,
        attempts=5,
        last_error="550 5.1.1 user unknown",
    )


def test_a_network_admin_sees_the_refused_email_but_not_its_text(client, refused):
    admin = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.NETWORK_ADMIN).user
    log_in_with_second_factor(client, admin)

    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(reverse("outbox:index"), {"state": OutgoingEmail.State.FAILED})

    assert reverse("outbox:index") in menu
    html = response.content.decode()
    assert response.status_code == 200
    assert "parent@example.jp" in html and "パスワードの再設定" in html and "550 5.1.1 user unknown" in html
    with translation.override("ja"):
        failed = str(OutgoingEmail.State.FAILED.label)
    assert re.search(rf"<td[^>]*>\s*{failed}\s*</td>", html)
    assert RESET_LINK not in html and "abc-123" not in html


def test_a_partner_member_is_refused(client, refused, area_a):
    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    log_in_with_second_factor(client, partner)

    response = client.get(reverse("outbox:index"))

    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert "parent@example.jp" not in client.get(response.url).content.decode()


def test_nothing_can_be_changed_from_the_admin(client, refused):
    admin = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.NETWORK_ADMIN).user
    log_in_with_second_factor(client, admin)

    for path in (
        "/admin/outbox/new/",
        f"/admin/outbox/edit/{refused.pk}/",
        f"/admin/outbox/delete/{refused.pk}/",
    ):
        assert client.post(path).status_code == 404
    assert OutgoingEmail.objects.filter(pk=refused.pk, state=OutgoingEmail.State.FAILED).exists()
