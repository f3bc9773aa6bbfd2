import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from areas.models import Invitation, Membership, PartnerOrganisation
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from cms.models import User

pytestmark = pytest.mark.django_db

LINK = re.compile(r"(/partners/invitations/[^/\s]+/)")
PASSWORD = "kosodate-2026-asahi"


@pytest.fixture
def coordinator(area_a):
    return coordinator_of(area_a)


@pytest.fixture
def nursery(area_a):
    return OrganisationFactory(name="わかば保育園", areas=[area_a])


def _invite(client, capture, inviter, **data):
    log_in_with_second_factor(client, inviter)
    form = {"email": "new@example.jp", "role": Membership.Role.MEMBER, **data}
    with capture(execute=True):
        return client.post(reverse("areas:invite"), form)


def _link(mailoutbox):
    return LINK.search(mailoutbox[-1].body).group(1)


def test_a_coordinator_invites_into_an_organisation_of_their_area(
    client, coordinator, nursery, mailoutbox, django_capture_on_commit_callbacks
):
    response = _invite(client, django_capture_on_commit_callbacks, coordinator, organisation=nursery.pk)

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.invited_by) == (
        "new@example.jp",
        nursery,
        coordinator,
    )
    message = mailoutbox[0]
    assert message.to == ["new@example.jp"] and "わかば保育園" in message.subject
    token = _link(mailoutbox).split("/")[2]
    assert token not in invitation.token_hash  # only a hash is stored


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"email": "not-an-address"}, "有効なメールアドレスを入力してください。"),
        ({"role": Membership.Role.NETWORK_ADMIN}, "この役割は付与できません。"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_created(
    client, coordinator, nursery, mailoutbox, django_capture_on_commit_callbacks, data, field_error
):
    response = _invite(
        client, django_capture_on_commit_callbacks, coordinator, organisation=nursery.pk, **data
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert field_error in html
    assert f'value="{data.get("email", "new@example.jp")}"' in html  # what was typed is kept
    assert not Invitation.objects.exists() and mailoutbox == []


def test_a_coordinator_cannot_invite_into_another_area(
    client, coordinator, area_b, mailoutbox, django_capture_on_commit_callbacks
):
    other = OrganisationFactory(areas=[area_b])
    response = _invite(client, django_capture_on_commit_callbacks, coordinator, organisation=other.pk)

    assert response.status_code == 200
    message = "招待できるのは、あなたがコーディネートするエリアだけで活動する団体です。"
    assert message in response.content.decode()
    assert not Invitation.objects.exists() and mailoutbox == []


def test_a_coordinator_cannot_make_a_coordinator_of_an_area_they_do_not_coordinate(
    client, coordinator, area_a, area_b, mailoutbox, django_capture_on_commit_callbacks
):
    both = OrganisationFactory(areas=[area_a, area_b])
    response = _invite(
        client,
        django_capture_on_commit_callbacks,
        coordinator,
        organisation=both.pk,
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area_b.pk],
    )
    assert response.status_code == 200
    assert "選べるのは、ご自身がコーディネートしているエリアだけです。" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_someone_who_is_already_a_member_is_refused(
    client, coordinator, nursery, mailoutbox, django_capture_on_commit_callbacks
):
    member = MembershipFactory(organisation=nursery).user
    response = _invite(
        client, django_capture_on_commit_callbacks, coordinator, organisation=nursery.pk, email=member.email
    )
    assert "この方はすでにこの団体のメンバーです。" in response.content.decode()
    assert not Invitation.objects.exists() and mailoutbox == []


def test_a_new_person_accepts_creates_an_account_and_lands_on_the_dashboard(
    client, coordinator, nursery, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(client, django_capture_on_commit_callbacks, coordinator, organisation=nursery.pk)
    link = _link(mailoutbox)
    client.logout()

    page = client.get(link)
    assert page.status_code == 200 and "わかば保育園" in page.content.decode()
    response = client.post(
        link, {"last_name": "旭", "first_name": "花子", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response["Location"] == reverse("dashboard")
    user = User.objects.get(email="new@example.jp")
    assert client.get(reverse("dashboard")).context["user"] == user
    assert Membership.objects.filter(user=user, organisation=nursery, role=Membership.Role.MEMBER).exists()
    assert EmailAddress.objects.get(user=user).verified
    assert "area-01 partners" in user.groups.values_list("name", flat=True)


def test_a_new_person_with_mismatched_passwords_keeps_what_they_typed(
    client, coordinator, nursery, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(client, django_capture_on_commit_callbacks, coordinator, organisation=nursery.pk)
    link = _link(mailoutbox)
    client.logout()

    response = client.post(
        link, {"last_name": "旭", "first_name": "花子", "password1": PASSWORD, "password2": "different-2026"}
    )

    html = response.content.decode()
    assert "2つのパスワードが一致しません。" in html
    assert 'value="旭"' in html and 'value="花子"' in html
    assert not User.objects.filter(email="new@example.jp").exists()


def test_an_existing_account_logs_in_then_accepts(
    client, coordinator, nursery, mailoutbox, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="new@example.jp")
    _invite(client, django_capture_on_commit_callbacks, coordinator, organisation=nursery.pk)
    link = _link(mailoutbox)
    client.logout()

    html = client.get(link).content.decode()
    assert f"/accounts/login/?next={link}" in html
    response = client.post(f"/accounts/login/?next={link}", {"login": existing.email, "password": PASSWORD})
    assert response["Location"] == link

    assert client.post(link)["Location"] == reverse("dashboard")
    assert Membership.objects.filter(user=existing, organisation=nursery).exists()


def test_a_used_link_does_not_work_twice(
    client, coordinator, nursery, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(client, django_capture_on_commit_callbacks, coordinator, organisation=nursery.pk)
    link = _link(mailoutbox)
    client.logout()
    client.post(link, {"last_name": "旭", "first_name": "花子", "password1": PASSWORD, "password2": PASSWORD})
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    assert "この招待はすでに使われています。" in response.content.decode()


def test_an_expired_link_gets_a_clear_page(
    client, coordinator, nursery, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(client, django_capture_on_commit_callbacks, coordinator, organisation=nursery.pk)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()

    response = client.get(_link(mailoutbox))

    assert response.status_code == 410
    assert "この招待の有効期限が切れています。" in response.content.decode()


def test_an_invitation_is_valid_for_14_days(
    client, coordinator, nursery, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(client, django_capture_on_commit_callbacks, coordinator, organisation=nursery.pk)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        timedelta(days=14), abs=timedelta(seconds=5)
    )


def test_a_forged_link_gets_a_clear_page(client, demo_site):
    response = client.get("/partners/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "この招待リンクは正しくありません。" in response.content.decode()


def test_another_logged_in_person_cannot_accept(
    client, coordinator, nursery, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(client, django_capture_on_commit_callbacks, coordinator, organisation=nursery.pk)
    link = _link(mailoutbox)
    stranger = UserFactory()
    client.force_login(stranger)

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 403
        assert "new@example.jp" in response.content.decode()
    assert not Membership.objects.filter(organisation=nursery).exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_coordinator_brings_a_new_nursery_into_the_network_and_invites_its_staff(
    client, coordinator, area_a, mailoutbox, django_capture_on_commit_callbacks
):
    response = _invite(
        client,
        django_capture_on_commit_callbacks,
        coordinator,
        organisation="",
        new_organisation_name="新しい保育園",
        new_organisation_kind="nursery",
        new_organisation_area=area_a.pk,
        email="staff@example.jp",
    )

    organisation = PartnerOrganisation.objects.get(name="新しい保育園")
    assert response["Location"] == reverse("areas:organisation_members", args=[organisation.pk])
    assert list(organisation.areas.all()) == [area_a]
    assert Invitation.objects.get().organisation == organisation
    assert [m.to for m in mailoutbox] == [["staff@example.jp"]]


def test_a_failed_invitation_does_not_leave_a_new_organisation_behind(
    client, coordinator, area_a, area_b, mailoutbox, django_capture_on_commit_callbacks
):
    response = _invite(
        client,
        django_capture_on_commit_callbacks,
        coordinator,
        organisation="",
        new_organisation_name="新しい保育園",
        new_organisation_kind="nursery",
        new_organisation_area=area_a.pk,
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[],
    )

    assert "このコーディネーターが担当するエリアを選んでください。" in response.content.decode()
    assert 'value="新しい保育園"' in response.content.decode()
    assert not PartnerOrganisation.objects.filter(name="新しい保育園").exists()
    assert mailoutbox == []


def test_a_coordinator_cannot_create_an_organisation_in_another_area(
    client, coordinator, area_b, mailoutbox, django_capture_on_commit_callbacks
):
    response = _invite(
        client,
        django_capture_on_commit_callbacks,
        coordinator,
        organisation="",
        new_organisation_name="よその保育園",
        new_organisation_kind="nursery",
        new_organisation_area=area_b.pk,
    )
    assert "選べるのは、ご自身がコーディネートしているエリアだけです。" in response.content.decode()
    assert not PartnerOrganisation.objects.filter(name="よその保育園").exists()
