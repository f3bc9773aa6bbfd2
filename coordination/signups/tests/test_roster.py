"""The volunteer roster, tried as the person each rule protects against would try it.

A person may tick a separate box to stay on a roster that organisers invite to later
activities and training. Without it, nothing of theirs outlives the retention period; with it,
only the roster's entry does, until they leave from the signed link in every roster e-mail.
"""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.urls import reverse

from areas.models import AreaPage, Membership
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from coordination.events.tests.test_events_permissions import make_event
from coordination.signups import services
from coordination.signups.models import Applicant, RosterEntry, Slot
from coordination.volunteering.models import VolunteerPostingPage
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "旭 花子", "hanako@example.jp", "090-1234-5678"
OTHER_NAME, OTHER_EMAIL = "白根 太郎", "taro@example.jp"


@pytest.fixture(scope="module")
def _posting(demo_world):
    """The posting the roster's people apply to, published once for the module on the shared demo
    site (each test rolls back to it); `posting` reads it afresh for each test."""
    with demo_world():
        yield make_posting(AreaPage.objects.get(code="area-01"), title="出張ひろばの見守り").pk


@pytest.fixture
def posting(_posting, area_a):
    return VolunteerPostingPage.objects.get(pk=_posting)


def _apply(client, page, *, roster, name=NAME, email=EMAIL, capture):
    data = {
        "slots": [str(Slot.objects.filter(page=page).first().pk)],
        "name": name,
        "email": email,
        "phone": PHONE,
        "message": "",
        "consent": "on",
        "website": "",
    }
    if roster:
        data["roster"] = "on"
    with capture(execute=True):
        response = client.post(reverse("signups:apply", args=[page.pk]), data)
    assert response.status_code == 302


def _link(message, pattern):
    match = re.search(rf"https?://[^/\s]+(/signups/{pattern})", message.body)
    assert match, message.body
    return match.group(1)


def _confirm(client, capture, email=EMAIL):
    first = next(m for m in mail.outbox if m.to == [email] and "/confirm/" in m.body)
    with capture(execute=True):
        client.get(_link(first, r"[^/\s]+/confirm/"))


def _join(client, page, capture, **fields):
    _apply(client, page, roster=True, capture=capture, **fields)
    _confirm(client, capture, email=fields.get("email", EMAIL))
    return RosterEntry.objects.get(email=fields.get("email", EMAIL))


def _retention(page, settings):
    last = max(slot.ends_at for slot in Slot.objects.filter(page=page))
    return services.delete_personal_data(now=last + timedelta(days=settings.SIGNUP_RETENTION_DAYS, hours=1))


def _stored_anywhere(*values) -> list[str]:
    """Every text or JSON field of every table that still holds one of the values."""
    found = []
    for model in apps.get_models():
        fields = [
            f for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))
        ]
        fields += [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for field in fields:
            for value in values:
                lookup = "icontains" if not isinstance(field, models.JSONField) else None
                if lookup is None:
                    rows = model._default_manager.values_list(field.name, flat=True)
                    if any(value in str(row) for row in rows):
                        found.append(f"{model.__name__}.{field.name}")
                elif model._default_manager.filter(**{f"{field.name}__{lookup}": value}).exists():
                    found.append(f"{model.__name__}.{field.name}")
    return found


# --- the form -----------------------------------------------------------------------------------


def test_postings_offer_the_roster_box_unticked_and_apart_from_the_consent(client, posting):
    html = client.get(reverse("signups:apply", args=[posting.pk])).content.decode()

    box = re.search(r"<input[^>]*name=\"roster\"[^>]*>", html)
    assert box and "checked" not in box.group(0)
    assert "required" not in box.group(0)
    for said in ("今後の活動や研修", "お名前", "電話番号", "エリア", "いつでも"):
        assert said in html, said


def test_parents_registering_for_an_event_are_not_asked(client, area_a):
    event = make_event(
        area_a,
        title="親子ひろば",
        organisers=[OrganisationFactory(areas=[area_a])],
        registration="first_come",
        registration_capacity=10,
    )

    response = client.get(reverse("signups:apply", args=[event.pk]))
    assert response.status_code == 200
    assert 'name="roster"' not in response.content.decode()


def test_the_application_is_taken_without_the_roster(client, posting, django_capture_on_commit_callbacks):
    _apply(client, posting, roster=False, capture=django_capture_on_commit_callbacks)
    _confirm(client, django_capture_on_commit_callbacks)

    assert Applicant.objects.get().is_confirmed
    assert not RosterEntry.objects.exists()


# --- consent and retention ----------------------------------------------------------------------


def test_without_consent_nothing_personal_remains_after_retention(
    client, posting, django_capture_on_commit_callbacks, settings
):
    _apply(client, posting, roster=False, capture=django_capture_on_commit_callbacks)
    _confirm(client, django_capture_on_commit_callbacks)

    assert _retention(posting, settings) == 1
    assert not Applicant.objects.exists()
    assert not RosterEntry.objects.exists()
    assert _stored_anywhere(NAME, EMAIL, PHONE) == []


def test_with_consent_the_entry_is_made_on_confirmation_and_kept_after_retention(
    client, posting, area_a, django_capture_on_commit_callbacks, settings
):
    _apply(client, posting, roster=True, capture=django_capture_on_commit_callbacks)
    assert not RosterEntry.objects.exists()  # not before the address is confirmed

    _confirm(client, django_capture_on_commit_callbacks)
    entry = RosterEntry.objects.get()
    assert (entry.name, entry.email, entry.phone) == (NAME, EMAIL, PHONE)
    assert entry.consent_version == RosterEntry.CONSENT_VERSION
    assert entry.consent_at == Applicant.objects.get().roster_consent_at
    assert list(entry.areas.all()) == [area_a]
    assert entry.interests == {"playroom": posting.get_activity_kind_display()}
    welcome = mail.outbox[-1]
    assert welcome.to == [EMAIL] and "/signups/roster/leave/" in welcome.body

    assert _retention(posting, settings) == 1
    assert not Applicant.objects.exists()
    assert RosterEntry.objects.get().email == EMAIL


def test_a_confirmation_too_late_makes_no_entry(
    client, posting, django_capture_on_commit_callbacks, settings
):
    _apply(client, posting, roster=True, capture=django_capture_on_commit_callbacks)
    applicant = Applicant.objects.get()
    services.confirm(
        applicant, now=applicant.created_at + settings.SIGNUP_CONFIRM_WITHIN + timedelta(minutes=1)
    )

    assert not RosterEntry.objects.exists()


# --- who sees the roster ------------------------------------------------------------------------


@pytest.fixture
def two_on_the_roster(client, posting, django_capture_on_commit_callbacks):
    first = _join(client, posting, django_capture_on_commit_callbacks)
    second = _join(client, posting, django_capture_on_commit_callbacks, name=OTHER_NAME, email=OTHER_EMAIL)
    mail.outbox.clear()
    return first, second


def _roster_page(client, user):
    client.logout()
    if user is not None:
        log_in_with_second_factor(client, user)
    return client.get(reverse("signups:roster"))


def test_partners_of_the_area_see_its_roster_and_others_do_not(client, area_a, area_b, two_on_the_roster):
    admin = MembershipFactory(role=Membership.Role.NETWORK_ADMIN, organisation=OrganisationFactory()).user
    seeing = {
        "partner of the area": MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user,
        "coordinator of the area": coordinator_of(area_a),
        "network admin": admin,
    }
    for who, user in seeing.items():
        html = _roster_page(client, user).content.decode()
        assert NAME in html and EMAIL in html and PHONE in html, who

    response = _roster_page(client, MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user)
    assert response.status_code == 200 and NAME not in response.content.decode()
    assert _roster_page(client, UserFactory()).status_code == 403
    anonymous = _roster_page(client, None)
    assert anonymous.status_code == 302 and NAME not in anonymous.content.decode()


def test_the_roster_filters_by_area_and_interest(client, area_a, area_b, django_capture_on_commit_callbacks):
    playroom = make_posting(area_a, title="ひろば")
    outdoor = make_posting(area_b, title="そとあそび", activity_kind="outdoor")
    _join(client, playroom, django_capture_on_commit_callbacks)
    _join(client, outdoor, django_capture_on_commit_callbacks, name=OTHER_NAME, email=OTHER_EMAIL)
    admin = MembershipFactory(role=Membership.Role.NETWORK_ADMIN, organisation=OrganisationFactory()).user
    log_in_with_second_factor(client, admin)

    by_area = client.get(reverse("signups:roster"), {"area": area_b.pk}).content.decode()
    assert OTHER_NAME in by_area and NAME not in by_area
    by_interest = client.get(reverse("signups:roster"), {"interest": "playroom"}).content.decode()
    assert NAME in by_interest and OTHER_NAME not in by_interest


def _invite(client, user, entries, page, message="来月のひろばもお手伝いいただけませんか。"):
    client.logout()
    log_in_with_second_factor(client, user)
    data = {"entries": [str(entry.pk) for entry in entries], "page": str(page.pk), "message": message}
    return client.post(reverse("signups:roster_invite"), data)


def test_an_invitation_goes_to_each_person_alone_with_their_own_leave_link(
    client, area_a, posting, two_on_the_roster, django_capture_on_commit_callbacks
):
    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    later = make_posting(area_a, title="秋の親子まつり 受付ボランティア")

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, partner, two_on_the_roster, later)
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    for entry, other in (two_on_the_roster, reversed(two_on_the_roster)):
        (message,) = [m for m in mail.outbox if m.to == [entry.email]]
        assert later.title in message.subject
        assert "来月のひろばもお手伝いいただけませんか。" in message.body
        assert later.url in message.body
        assert other.email not in message.body and other.email not in message.to + message.cc + message.bcc
        leave = _link(message, r"roster/leave/[^/\s]+/")
        assert entry.email in client.get(leave).content.decode()
    assert RosterEntry.objects.filter(last_invited_at__isnull=False).count() == 2


def test_a_partner_of_another_area_cannot_invite_this_areas_roster(
    client, area_a, area_b, two_on_the_roster, django_capture_on_commit_callbacks
):
    elsewhere = MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user
    later = make_posting(area_b, title="白根のひろば")

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, elsewhere, two_on_the_roster, later)
    assert response.status_code == 400
    assert mail.outbox == []
    assert NAME not in response.content.decode()


def test_only_published_postings_are_offered_to_invite_to(client, area_a, two_on_the_roster):
    draft = make_posting(area_a, title="下書きの募集", publish=False)
    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user

    response = _invite(client, partner, two_on_the_roster, draft)
    assert response.status_code == 400 and mail.outbox == []


# --- leaving ------------------------------------------------------------------------------------


def _leave_link(client, area_a, entry, capture):
    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    with capture(execute=True):
        _invite(client, partner, [entry], make_posting(area_a, title="次の募集"))
    client.logout()
    return _link(mail.outbox[-1], r"roster/leave/[^/\s]+/")


def test_leaving_from_the_link_deletes_the_entry_on_the_button_only(
    client, area_a, two_on_the_roster, django_capture_on_commit_callbacks
):
    entry, other = two_on_the_roster
    leave = _leave_link(client, area_a, entry, django_capture_on_commit_callbacks)

    asked = client.get(leave).content.decode()
    assert "削除" in asked and EMAIL in asked and PHONE in asked
    assert RosterEntry.objects.filter(pk=entry.pk).exists()  # opening the link deletes nothing

    done = client.post(leave).content.decode()
    assert "削除しました" in done
    assert list(RosterEntry.objects.all()) == [other]

    again = client.get(leave)
    assert again.status_code == 200 and EMAIL not in again.content.decode()
    assert client.post(leave).status_code == 200


def test_a_tampered_leave_link_gets_nothing(
    client, area_a, two_on_the_roster, django_capture_on_commit_callbacks
):
    entry, other = two_on_the_roster
    leave = _leave_link(client, area_a, entry, django_capture_on_commit_callbacks)
    token = leave.rstrip("/").rsplit("/", 1)[1]
    _pk, signature = token.split(":", 1)
    forged = leave.replace(token, f"{other.pk}:{signature}")

    for response in (client.get(forged), client.post(forged)):
        assert response.status_code == 404
        assert OTHER_EMAIL not in response.content.decode()
    assert RosterEntry.objects.count() == 2


def test_after_leaving_one_may_join_again_by_applying_with_the_box(
    client, area_a, posting, two_on_the_roster, django_capture_on_commit_callbacks
):
    entry, _other = two_on_the_roster
    client.post(_leave_link(client, area_a, entry, django_capture_on_commit_callbacks))
    assert not RosterEntry.objects.filter(email=EMAIL).exists()

    again = make_posting(area_a, title="冬のひろば")
    assert _join(client, again, django_capture_on_commit_callbacks).email == EMAIL
