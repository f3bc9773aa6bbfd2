"""The access table: person × object × action, answered by `areas.access` and by the site.

EXPECTED names, for each object and action, exactly who is allowed; everyone else is refused.
Every cell is asked of the access module and, where the site has a route for it, through HTTP as
that person (the page's URL, the admin's editor, the applicants' list, the members page, the
inbox), so the module and the site give the same answer. The people, their log-ins (a session
each, which a test's client takes up by its cookie) and the objects are made once
for the module on the shared demo site, in a transaction rolled back at its end
(conftest.demo_world); each test runs in a savepoint inside it.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import RichText

from areas import access
from areas.models import AreaPage, Membership, PartnerOrganisation
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
    session_of,
    use_session,
)
from cms.models import SearchEntry, User
from coordination.activity.models import ProgrammeType, Session
from coordination.events.tests.test_events_permissions import make_event
from coordination.meetings.models import MeetingPage, Visibility
from coordination.meetings.selectors import taking_part
from coordination.notifications.models import Audience, Delivery, Frequency, Kind, Notification
from coordination.signups.links import applicant_token
from coordination.signups.models import Applicant, RosterEntry, Slot
from coordination.volunteering.tests.factories import make_posting

pytestmark = [pytest.mark.django_db, pytest.mark.shares_page_cache]

# --- the people --------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
OUTSIDER = "logged-in non-partner"
PARTNER_A = "partner of area A"
PARTNER_B = "partner of area B"
COORDINATOR_A = "coordinator of area A"
COORDINATOR_B = "coordinator of area B"
NETWORK_ADMIN = "network admin"
#: A member of an organisation of area B that organises the event and the posting under area A.
ORGANISER = "organiser from area B"
#: A member of an organisation of area C invited to both meetings.
INVITED = "invited from area C"
#: A coordinator of area A and a network admin whose session has not passed the second factor:
#: on the site, what a plain member of their organisations has (the coordinator's serves area A,
#: the network admin's none); in the admin, nothing until they enter the code.
COORDINATOR_A_NO_CODE = "coordinator of area A without the code"
NETWORK_ADMIN_NO_CODE = "network admin without the code"
WITHOUT_CODE = frozenset({COORDINATOR_A_NO_CODE, NETWORK_ADMIN_NO_CODE})
PEOPLE = (
    ANONYMOUS,
    OUTSIDER,
    PARTNER_A,
    PARTNER_B,
    COORDINATOR_A,
    COORDINATOR_B,
    NETWORK_ADMIN,
    ORGANISER,
    INVITED,
    COORDINATOR_A_NO_CODE,
    NETWORK_ADMIN_NO_CODE,
)

EVERYONE = frozenset(PEOPLE)
LOGGED_IN = EVERYONE - {ANONYMOUS}
NOBODY = frozenset()
#: Area A's partners where privileged people are asked for the code first: the admin's editor,
#: the close-out and the roster.
AREA_A_WITH_CODE = frozenset({PARTNER_A, COORDINATOR_A, NETWORK_ADMIN})
AREA_A_PARTNERS = AREA_A_WITH_CODE | {COORDINATOR_A_NO_CODE}
NETWORK_PARTNERS = AREA_A_PARTNERS | {PARTNER_B, COORDINATOR_B, ORGANISER, INVITED}

# --- the objects and actions -------------------------------------------------------------------

PUBLIC_PAGE = "public page"  # area A's page
AREA_MEETING = "area-A meeting"
NETWORK_MEETING = "network-wide meeting"
DRAFT_EVENT = "draft event"
POSTING = "posting with applicants"
ORGANISATION_A = "organisation of area A"
HUB = "the hub"
MEMBERSHIP = "membership"
#: The posting's shift in the activity ledger (numbers only).
SESSION = "session of the posting"
#: A training (研修) under area A organised by the organiser's organisation (numbers only).
TRAINING = "training session"
AREA_DATA = "area data"  # area A's code, care plaza, town blocks and stations
#: A person who ticked the roster box when applying for the posting under area A.
ROSTER_ENTRY = "roster entry from area A's posting"

VIEW = "view"
EDIT = "edit"
INVITATION = "invitation view"
SEE_APPLICANTS = "see applicants"
MANAGE = "manage"
READ_BODY = "read notification body"
CLOSE_OUT = "close out"
RECORD = "record headcount"
RECORD_OUTCOME = "record a training's outcome"
EDIT_DATA = "edit area data"
SEE_REPORT = "see the yearly report"
SEE_WARD_REPORT = "see the ward-wide report"
SEE_ROSTER = "see on the roster"

#: (object, action) → who is allowed. READ_BODY is the text of the notification about the object.
EXPECTED = {
    (PUBLIC_PAGE, VIEW): EVERYONE,
    (PUBLIC_PAGE, EDIT): AREA_A_WITH_CODE,
    # A new event's text, for the area's subscribers: anyone with an account may subscribe.
    (PUBLIC_PAGE, READ_BODY): LOGGED_IN,
    (AREA_MEETING, VIEW): AREA_A_PARTNERS,
    (AREA_MEETING, EDIT): AREA_A_WITH_CODE,
    (AREA_MEETING, INVITATION): frozenset({INVITED}),
    (AREA_MEETING, READ_BODY): AREA_A_PARTNERS,
    # Who came and how many: the area's partners, not the organisations invited from elsewhere.
    (AREA_MEETING, CLOSE_OUT): AREA_A_WITH_CODE,
    # Organisations serving any area are partners of the network: the organiser's and the invited.
    (NETWORK_MEETING, VIEW): NETWORK_PARTNERS,
    (NETWORK_MEETING, EDIT): AREA_A_WITH_CODE,
    (NETWORK_MEETING, INVITATION): NOBODY,
    (NETWORK_MEETING, READ_BODY): NETWORK_PARTNERS,
    (NETWORK_MEETING, CLOSE_OUT): AREA_A_WITH_CODE,
    # A draft is on the site for nobody; its organisers edit it wherever it lives.
    (DRAFT_EVENT, VIEW): NOBODY,
    (DRAFT_EVENT, EDIT): AREA_A_WITH_CODE | {ORGANISER},
    (DRAFT_EVENT, SEE_APPLICANTS): frozenset({NETWORK_ADMIN, ORGANISER}),
    (POSTING, VIEW): EVERYONE,
    # Postings give their organisers no editing: only events do.
    (POSTING, EDIT): AREA_A_WITH_CODE,
    # Applicants' data: the organisers and network admins, not the area's coordinator.
    (POSTING, SEE_APPLICANTS): frozenset({NETWORK_ADMIN, ORGANISER}),
    (POSTING, READ_BODY): frozenset({ORGANISER}),
    (ORGANISATION_A, MANAGE): frozenset({COORDINATOR_A, NETWORK_ADMIN}),
    (ORGANISATION_A, READ_BODY): frozenset({PARTNER_A}),
    # The hub serves all 13 areas: only network admins manage it.
    (HUB, MANAGE): frozenset({NETWORK_ADMIN}),
    (MEMBERSHIP, MANAGE): frozenset({COORDINATOR_A, NETWORK_ADMIN}),
    (MEMBERSHIP, READ_BODY): frozenset({PARTNER_A}),
    # A headcount: the organisations running it, the coordinators of its area, network admins.
    (SESSION, RECORD): frozenset({ORGANISER, COORDINATOR_A, NETWORK_ADMIN}),
    # How many completed a training and registered: as for a headcount; not the other partners
    # of its area, nor another area's coordinator.
    (TRAINING, RECORD_OUTCOME): frozenset({ORGANISER, COORDINATOR_A, NETWORK_ADMIN}),
    # The hub's data of the 13 areas: its coordinators edit the area page, not its town blocks.
    (AREA_DATA, EDIT_DATA): frozenset({NETWORK_ADMIN}),
    # The yearly report's figures: the area's coordinators and network admins, not plain partners.
    (AREA_DATA, SEE_REPORT): frozenset({COORDINATOR_A, NETWORK_ADMIN}),
    # Ward-wide, every session once: network admins only; anyone reads the public totals.
    (AREA_DATA, SEE_WARD_REPORT): frozenset({NETWORK_ADMIN}),
    # The roster: the partners of the posting's area and network admins; an organisation of
    # another area sees none of it, even the one organising the posting.
    (ROSTER_ENTRY, SEE_ROSTER): AREA_A_WITH_CODE,
}
#: Who is told of the object's notification: never more than who may read its text. An area's
#: notification goes to the members of the organisations serving the area; the network admin's
#: organisation serves none (as in the meetings' leak matrix).
TOLD = {
    AREA_MEETING: frozenset({PARTNER_A, COORDINATOR_A, COORDINATOR_A_NO_CODE}),
    NETWORK_MEETING: NETWORK_PARTNERS | {NETWORK_ADMIN_NO_CODE},
    POSTING: frozenset({ORGANISER}),
    ORGANISATION_A: frozenset({PARTNER_A}),
    MEMBERSHIP: frozenset({PARTNER_A}),
}
#: The pairs the site has no address for: a draft takes no applications.
NO_ROUTE = {(DRAFT_EVENT, SEE_APPLICANTS)}

SECRETS = {
    AREA_MEETING: "アクセス表の議事録あかね",
    NETWORK_MEETING: "アクセス表の議事録みどり",
}
APPLICANT = "旭 花子"
ON_THE_ROSTER = "今宿 名簿子"
BODIES = {
    PUBLIC_PAGE: "誰でも読める催しの案内",
    AREA_MEETING: "エリアの議事録の本文",
    NETWORK_MEETING: "ネットワークの議事録の本文",
    POSTING: "応募がありました（本文）",
    ORGANISATION_A: "わかば保育園の皆さんへの本文",
    MEMBERSHIP: "あなたの役割についての本文",
}

CELLS = [(obj, action, person) for (obj, action) in EXPECTED for person in PEOPLE]
table = pytest.mark.parametrize(("obj", "action", "person"), CELLS, ids=[f"{o}-{a}-{p}" for o, a, p in CELLS])


# --- the world: made once, rolled back at the end of the module --------------------------------


@dataclass
class World:
    people: dict
    objects: dict
    notifications: dict
    #: person → the key of a session logged in as them (with the second factor passed, or not:
    #: WITHOUT_CODE), made once; each test's client takes it up.
    sessions: dict


def _network_admin() -> User:
    organisation = OrganisationFactory(kind=PartnerOrganisation.Kind.WARD_OFFICE)
    return MembershipFactory(role=Membership.Role.NETWORK_ADMIN, organisation=organisation).user


def _people(area_a, area_b, area_c, shirane, wakaba) -> dict:
    return {
        ANONYMOUS: None,
        OUTSIDER: UserFactory(),
        PARTNER_A: MembershipFactory(organisation=wakaba).user,
        PARTNER_B: MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user,
        COORDINATOR_A: coordinator_of(area_a),
        COORDINATOR_B: coordinator_of(area_b),
        NETWORK_ADMIN: _network_admin(),
        ORGANISER: MembershipFactory(organisation=shirane).user,
        INVITED: MembershipFactory(organisation=OrganisationFactory(areas=[area_c])).user,
        COORDINATOR_A_NO_CODE: coordinator_of(area_a),
        NETWORK_ADMIN_NO_CODE: _network_admin(),
    }


def _meeting(area, visibility, *, invited) -> MeetingPage:
    start = timezone.now() - timedelta(days=7)
    secret = SECRETS[AREA_MEETING if visibility == Visibility.AREA else NETWORK_MEETING]
    meeting = MeetingPage(
        title=f"連携会議（{visibility}）",
        start=start,
        end=start + timedelta(hours=2),
        place="今宿西地区センター",
        agenda="<p>夏の合同ひろば</p>",
        minutes=[("paragraph", RichText(f"<p>{secret}</p>"))],
        visibility=visibility,
    )
    meeting.invited_organisations = [invited]
    area.add_child(instance=meeting)
    meeting.save_revision().publish()
    meeting.refresh_from_db()
    return meeting


def _apply(posting) -> None:
    """An application as a visitor sends it."""
    slot = Slot.objects.get(page=posting)
    response = Client().post(
        reverse("signups:apply", args=[posting.pk]),
        {
            "slots": [str(slot.pk)],
            "name": APPLICANT,
            "email": "hanako@example.jp",
            "phone": "090-0000-0000",
            "message": "",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 302


def _join_roster(posting) -> RosterEntry:
    """An application with the roster box ticked, confirmed from the e-mail's link."""
    client = Client()
    data = {
        "slots": [str(Slot.objects.get(page=posting).pk)],
        "name": ON_THE_ROSTER,
        "email": "meibo@example.jp",
        "consent": "on",
        "roster": "on",
        "website": "",
    }
    assert client.post(reverse("signups:apply", args=[posting.pk]), data).status_code == 302
    applicant = Applicant.objects.get(email="meibo@example.jp")
    client.get(reverse("signups:confirm", args=[applicant_token(applicant)]))
    return RosterEntry.objects.get(email="meibo@example.jp")


def _training(area, organisation) -> Session:
    """A providing-member training held last week, its outcome not recorded yet."""
    session = Session.objects.create(
        programme_type=ProgrammeType.objects.get(code="training"),
        date=timezone.localdate() - timedelta(days=7),
        title="提供会員予定者研修",
    )
    session.areas.set([area])
    session.organisations.set([organisation])
    return session


def _notifications(area_a, objects, people) -> dict:
    """One notification about each object, in every logged-in person's inbox, so the inbox shows
    whether its text is shown to them."""
    made = {
        PUBLIC_PAGE: dict(kind=Kind.NEW_EVENT, audience=Audience.AREA_SUBSCRIBERS),
        AREA_MEETING: dict(kind=Kind.NEW_MINUTES, audience=Audience.AREA_PARTNERS, area=area_a),
        NETWORK_MEETING: dict(kind=Kind.NEW_MINUTES, audience=Audience.NETWORK_PARTNERS, area=area_a),
        POSTING: dict(
            kind=Kind.APPLICATION,
            audience=Audience.ORGANISATION,
            organisation=objects[POSTING].organisers.get(),
        ),
        ORGANISATION_A: dict(
            kind=Kind.MEMBERSHIP, audience=Audience.ORGANISATION, organisation=objects[ORGANISATION_A]
        ),
        MEMBERSHIP: dict(kind=Kind.MEMBERSHIP, audience=Audience.PERSON, person=people[PARTNER_A]),
    }
    notifications = {}
    for obj, fields in made.items():
        notification = Notification.objects.create(
            title=f"お知らせ：{obj}", body=BODIES[obj], body_audience=fields["audience"], **fields
        )
        if fields["audience"] == Audience.AREA_SUBSCRIBERS:
            notification.areas.set([area_a])
        notifications[obj] = notification
        Delivery.objects.bulk_create(
            Delivery(
                notification=notification,
                user=user,
                channel=Delivery.Channel.INBOX,
                frequency=Frequency.IMMEDIATE,
                state=Delivery.State.SENT,
            )
            for user in people.values()
            if user is not None
        )
    return notifications


@pytest.fixture(scope="module")
def world(demo_world):
    """The demo site's areas, the people and the objects of the table, made once for the module."""
    with demo_world():
        area_a, area_b, area_c = (AreaPage.objects.get(code=f"area-0{n}") for n in (1, 2, 3))
        wakaba = OrganisationFactory(name="わかば保育園", areas=[area_a])
        shirane = OrganisationFactory(name="しらね幼稚園", areas=[area_b])
        people = _people(area_a, area_b, area_c, shirane, wakaba)
        invited = people[INVITED].memberships.get().organisation
        with TestCase.captureOnCommitCallbacks(execute=True):
            objects = {
                PUBLIC_PAGE: area_a,
                AREA_MEETING: _meeting(area_a, Visibility.AREA, invited=invited),
                NETWORK_MEETING: _meeting(area_a, Visibility.NETWORK, invited=invited),
                DRAFT_EVENT: make_event(area_a, title="合同 出張ひろば", organisers=[shirane], live=False),
                POSTING: make_posting(area_a, title="ひろばの準備ボランティア", organisation=shirane),
                ORGANISATION_A: wakaba,
                HUB: PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.SUPPORT_HUB),
                MEMBERSHIP: people[PARTNER_A].memberships.get(),
                AREA_DATA: area_a,
            }
        objects[SESSION] = Session.objects.get(page=objects[POSTING])
        objects[TRAINING] = _training(area_a, shirane)
        _apply(objects[POSTING])
        objects[ROSTER_ENTRY] = _join_roster(objects[POSTING])
        notifications = _notifications(area_a, objects, people)
        sessions = {
            person: session_of(user, second_factor=person not in WITHOUT_CODE)
            for person, user in people.items()
            if user is not None
        }
        yield World(people, objects, notifications, sessions)


def _user(world, person):
    """A fresh user object, as each request loads it (Wagtail and the module cache per user), acting
    in the person's session of the world, which passed the second factor, or not (WITHOUT_CODE), as
    the middleware gives it."""
    if world.people[person] is None:
        return AnonymousUser()
    request = RequestFactory().get("/")
    request.session = SessionStore(world.sessions[person])
    access.attach_session(request)
    return request.user


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    return request


# --- the module's answer -----------------------------------------------------------------------


def module_answer(world, obj, action, person) -> bool:
    user = _user(world, person)
    target = world.objects[obj]
    if action == VIEW:
        request = _request(user)
        viewable = access.may_view_page(request, target)
        # Search asks for many pages at once: the same answer, as one query.
        assert access.pages_visible_on_site(request, Page.objects.filter(pk=target.pk)).exists() is viewable
        # And the same for rows of another model that point at the page (the search's entries).
        entry, _created = SearchEntry.objects.get_or_create(page_id=target.pk, defaults={"title": "-"})
        rows = SearchEntry.objects.filter(pk=entry.pk)
        assert access.pages_visible_on_site(request, rows, through="page").exists() is viewable
        return viewable
    if action == EDIT:
        return access.may_edit_page(user, target)
    if action == INVITATION:
        return access.may_view_invitation_only(_request(user), target, taking_part(target))
    if action == SEE_APPLICANTS:
        return access.may_see_applicants(user, target)
    if action == RECORD:
        return access.may_record_headcount(user, target)
    if action == RECORD_OUTCOME:
        return access.may_record_training_outcome(user, target)
    if action == MANAGE:
        if isinstance(target, Membership):
            return access.may_manage_membership(user, target)
        return access.may_manage_organisation(user, target)
    if action == CLOSE_OUT:
        return access.may_close_out_meeting(user, target)
    if action == EDIT_DATA:
        return access.may_edit_area_data(user)
    if action == SEE_REPORT:
        return access.may_see_report(user) and access.reportable_areas(user).filter(pk=target.pk).exists()
    if action == SEE_WARD_REPORT:
        return access.may_see_ward_report(user)
    if action == SEE_ROSTER:
        entries = RosterEntry.objects.filter(pk=target.pk)
        return access.may_see_roster(user) and access.roster_entries_visible_to(user, entries).exists()
    assert action == READ_BODY
    return access.may_read_notification_body(user, world.notifications[obj])


# --- the site's answer -------------------------------------------------------------------------


def _text(response) -> str:
    return response.content.decode("utf-8-sig", errors="replace")


def site_answer(world, client, obj, action, person) -> bool:
    if person in world.sessions:
        use_session(client, world.sessions[person])
    target = world.objects[obj]
    if action == VIEW:
        response = client.get(target.url)
        marker = SECRETS.get(obj, target.title)
        return response.status_code == 200 and marker in _text(response)
    if action == EDIT:
        return client.get(reverse("wagtailadmin_pages:edit", args=[target.pk])).status_code == 200
    if action == INVITATION:
        response = client.get(target.url)
        templates = {template.name for template in response.templates}
        return response.status_code == 200 and "meetings/meeting_invitation.html" in templates
    if action == RECORD:
        return client.get(reverse("activity:headcount", args=[target.pk])).status_code == 200
    if action == RECORD_OUTCOME:
        return client.get(reverse("activity:training_outcome", args=[target.pk])).status_code == 200
    if action == SEE_APPLICANTS:
        response = client.get(reverse("signups:list", args=[target.pk]))
        return response.status_code == 200 and APPLICANT in _text(response)
    if action == MANAGE:
        organisation = target.organisation if isinstance(target, Membership) else target
        response = client.get(reverse("areas:organisation_members", args=[organisation.pk]))
        if isinstance(target, Membership):
            form = reverse("areas:membership_change_role", args=[target.pk])
            return response.status_code == 200 and form in _text(response)
        return response.status_code == 200
    if action == CLOSE_OUT:
        return client.get(reverse("meetings:close_out", args=[target.pk])).status_code == 200
    if action == EDIT_DATA:
        response = client.get(reverse("wagtailadmin_pages:edit", args=[target.pk]))
        return response.status_code == 200 and 'name="town_blocks"' in _text(response)
    if action in (SEE_REPORT, SEE_WARD_REPORT):
        query = {"area": target.code} if action == SEE_REPORT else {}
        response = client.get(reverse("activity:report"), query)
        return response.status_code == 200 and (action == SEE_REPORT or "data-ward" in _text(response))
    if action == SEE_ROSTER:
        response = client.get(reverse("signups:roster"))
        return response.status_code == 200 and ON_THE_ROSTER in _text(response)
    assert action == READ_BODY
    response = client.get(reverse("notifications:inbox"))
    return response.status_code == 200 and BODIES[obj] in _text(response)


# --- the table ---------------------------------------------------------------------------------


@table
def test_the_access_module_answers_as_the_table_says(world, obj, action, person):
    assert module_answer(world, obj, action, person) is (person in EXPECTED[obj, action])


@table
def test_the_site_answers_as_the_access_module_does(world, client, obj, action, person):
    if (obj, action) in NO_ROUTE:
        pytest.skip("the site has no address for this")
    assert site_answer(world, client, obj, action, person) is (person in EXPECTED[obj, action])


@pytest.mark.parametrize("obj", list(TOLD))
def test_whoever_is_told_may_read_the_text(world, obj):
    notification = world.notifications[obj]
    ids = {user.pk: person for person, user in world.people.items() if user is not None}
    told = {ids[pk] for pk in access.audience_user_ids(notification.audience, notification) if pk in ids}

    assert told == TOLD[obj]
    # Who is told is chosen by account; a session without the code reads the text once it is entered.
    assert told - WITHOUT_CODE <= EXPECTED[obj, READ_BODY]


def test_the_meetings_are_restricted_to_the_access_modules_partner_groups(world):
    for obj, area in ((AREA_MEETING, world.objects[PUBLIC_PAGE]), (NETWORK_MEETING, None)):
        restriction = world.objects[obj].view_restrictions.get()
        assert set(restriction.groups.all()) == set(access.partner_groups(area))
