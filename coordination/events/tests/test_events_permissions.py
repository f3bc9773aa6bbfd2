"""Organisers edit their joint events from any area; publishing stays with the event's area.

The event lives under area A (今宿西) and is organised by わかば保育園 (area A) and しらね幼稚園
(area B, 白根). People of しらね may edit it and submit it for moderation through the admin; they
may not publish it, and people of other organisations of area B are refused.
"""

from datetime import date, time, timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page, WorkflowState

from areas.access import OrganisersPagePermissionTester
from areas.models import AreaPage, Membership, PartnerOrganisation
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from coordination.events.models import AgeBand, EventDate, EventPage
from coordination.events.tests.editor import editor_form

pytestmark = pytest.mark.django_db
User = get_user_model()


def make_event(parent, *, title, organisers, start=None, live=True, repeat="", **fields):
    start = start or timezone.localdate() + timedelta(days=30)
    page = EventPage(
        title=title,
        live=live,
        place="今宿西地域ケアプラザ 多目的室",
        start_date=start,
        start_time=time(10),
        end_time=time(11, 30),
        repeat=repeat,
        **fields,
    )
    page.organisers = list(organisers)
    page.age_bands = list(AgeBand.objects.filter(key="age_0"))
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page


@pytest.fixture(scope="module")
def _people(demo_world):
    """The two organising organisations and the people the tests act as, made once for the module
    on the shared demo site (each test rolls back to them); the fixtures below read them afresh."""
    with demo_world():
        area_a, area_b = (AreaPage.objects.get(code=code) for code in ("area-01", "area-02"))
        wakaba = OrganisationFactory(name="わかば保育園", areas=[area_a])
        shirane = OrganisationFactory(name="しらね幼稚園", areas=[area_b])
        # A member of しらね幼稚園 (area B), an organiser of the event.
        organiser_elsewhere = MembershipFactory(organisation=shirane).user
        # A coordinator of area B through しらね幼稚園: publishes in B, but not in A.
        coordinator_elsewhere = MembershipFactory(
            organisation=shirane, role=Membership.Role.COORDINATOR, coordinated_areas=[area_b]
        ).user
        Authenticator.objects.create(
            user=coordinator_elsewhere, type=Authenticator.Type.TOTP, data={"secret": "x"}
        )
        # A member of another organisation of area B, which organises nothing.
        salon = OrganisationFactory(name="白根子育てサロン", areas=[area_b])
        stranger = MembershipFactory(organisation=salon).user
        yield {
            "wakaba": wakaba.pk,
            "shirane": shirane.pk,
            "organiser_elsewhere": organiser_elsewhere.pk,
            "coordinator_elsewhere": coordinator_elsewhere.pk,
            "stranger": stranger.pk,
        }


@pytest.fixture
def wakaba(_people, area_a):
    return PartnerOrganisation.objects.get(pk=_people["wakaba"])


@pytest.fixture
def shirane(_people, area_b):
    return PartnerOrganisation.objects.get(pk=_people["shirane"])


@pytest.fixture
def event(area_a, wakaba, shirane):
    """A live joint event under area A."""
    return make_event(area_a, title="合同 そとあそび", organisers=[wakaba, shirane])


@pytest.fixture
def draft(area_a, wakaba, shirane):
    """A joint event under area A that was never published."""
    return make_event(area_a, title="合同 出張ひろば", organisers=[wakaba, shirane], live=False)


@pytest.fixture
def organiser_elsewhere(_people, shirane):
    """A member of しらね幼稚園 (area B), an organiser of the event."""
    return User.objects.get(pk=_people["organiser_elsewhere"])


@pytest.fixture
def coordinator_elsewhere(_people, area_b, shirane):
    """A coordinator of area B through しらね幼稚園: publishes in B, but not in A."""
    return User.objects.get(pk=_people["coordinator_elsewhere"])


@pytest.fixture
def stranger(_people, area_b):
    """A member of another organisation of area B, which organises nothing."""
    return User.objects.get(pk=_people["stranger"])


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _form(page, *, title, action=None):
    """The edit form as the browser sends it, with the title changed."""
    return editor_form(page, title=title, **({action: action} if action else {}))


def _latest_title(page):
    return page.get_latest_revision().content["title"]


# --- The permission tester --------------------------------------------------------------------


def test_an_organiser_from_another_area_may_edit_and_submit_but_nothing_more(event, organiser_elsewhere):
    perms = event.permissions_for_user(organiser_elsewhere)

    assert isinstance(perms, OrganisersPagePermissionTester)
    assert perms.can_edit() and perms.can_submit_for_moderation() and perms.can_copy()
    assert not perms.can_publish()
    assert not perms.can_unpublish()
    assert not perms.can_delete()
    assert not perms.can_move()
    assert not perms.can_lock()
    assert not perms.can_set_view_restrictions()
    assert not perms.can_add_subpage()


def test_a_plain_page_object_of_the_event_gets_the_same_answer(event, organiser_elsewhere, stranger):
    page = Page.objects.get(pk=event.pk)  # as the explorer and most admin views load it
    assert page.permissions_for_user(organiser_elsewhere).can_edit()
    assert not Page.objects.get(pk=event.pk).permissions_for_user(stranger).can_edit()


def test_a_coordinator_elsewhere_does_not_publish_here(event, coordinator_elsewhere, area_b):
    perms = event.permissions_for_user(coordinator_elsewhere)
    assert perms.can_edit() and not perms.can_publish()
    assert area_b.permissions_for_user(coordinator_elsewhere).can_publish()  # their own area is unchanged


def test_the_areas_own_people_keep_their_rights(event, area_a):
    from areas.tests.factories import coordinator_of

    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    perms = event.permissions_for_user(partner)
    assert perms.can_edit() and not perms.can_publish()
    assert event.permissions_for_user(coordinator_of(area_a)).can_publish()


def test_a_non_organiser_of_another_area_and_an_inactive_organiser_are_refused(event, stranger, shirane):
    assert not event.permissions_for_user(stranger).can_edit()
    assert not event.permissions_for_user(stranger).can_submit_for_moderation()

    inactive = MembershipFactory(organisation=shirane).user
    inactive.is_active = False
    inactive.save()
    assert not event.permissions_for_user(inactive).can_edit()


def test_organisers_are_read_as_stored_not_as_drafted(event, organiser_elsewhere, wakaba):
    # Someone drafts the event without しらね: until that is published, しらね may still edit it.
    revision_page = event.get_latest_revision_as_object()
    revision_page.organisers = [wakaba]
    revision_page.save_revision()
    fresh = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    assert [o.pk for o in fresh.organisers.all()] == [wakaba.pk]
    assert fresh.permissions_for_user(organiser_elsewhere).can_edit()

    fresh.get_latest_revision().publish()
    organiser_elsewhere = type(organiser_elsewhere).objects.get(pk=organiser_elsewhere.pk)  # a new request
    assert not EventPage.objects.get(pk=event.pk).permissions_for_user(organiser_elsewhere).can_edit()


# --- Through the admin ------------------------------------------------------------------------


def test_an_organiser_from_another_area_reaches_the_admin_and_the_editor(client, event, organiser_elsewhere):
    log_in_with_second_factor(client, organiser_elsewhere)
    assert client.get("/admin/").status_code == 200

    response = client.get(_edit_url(event))

    assert response.status_code == 200
    html = response.content.decode()
    assert "合同 そとあそび" in html
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_an_organiser_from_another_area_saves_a_draft_of_a_live_event(client, event, organiser_elsewhere):
    log_in_with_second_factor(client, organiser_elsewhere)

    response = client.post(_edit_url(event), _form(event, title="合同 そとあそび（雨天中止）"))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == _edit_url(event)
    event.refresh_from_db()
    assert _latest_title(event) == "合同 そとあそび（雨天中止）"
    assert event.title == "合同 そとあそび"  # the live page is unchanged
    assert event.has_unpublished_changes


def test_an_organiser_from_another_area_saves_a_never_published_draft(client, draft, organiser_elsewhere):
    log_in_with_second_factor(client, organiser_elsewhere)

    response = client.post(_edit_url(draft), _form(draft, title="合同 出張ひろば 7月"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "合同 出張ひろば 7月" and not draft.live


@pytest.mark.parametrize("who", ["organiser_elsewhere", "coordinator_elsewhere"])
def test_asking_to_publish_only_saves_a_draft(client, request, event, draft, who):
    user = request.getfixturevalue(who)
    log_in_with_second_factor(client, user)

    client.post(_edit_url(event), _form(event, title="公開しようとした題名", action="action-publish"))
    client.post(_edit_url(draft), _form(draft, title="公開しようとした下書き", action="action-publish"))

    event.refresh_from_db()
    draft.refresh_from_db()
    assert event.title == "合同 そとあそび" and _latest_title(event) == "公開しようとした題名"
    assert not draft.live and _latest_title(draft) == "公開しようとした下書き"


def test_an_organiser_from_another_area_submits_to_the_areas_coordinators(
    client, draft, organiser_elsewhere, area_a
):
    assert draft.has_workflow
    log_in_with_second_factor(client, organiser_elsewhere)

    response = client.post(_edit_url(draft), _form(draft, title="合同 出張ひろば", action="action-submit"))

    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(draft.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == organiser_elsewhere
    assert state.workflow.name == f"{area_a.title} 承認"
    draft.refresh_from_db()
    assert not draft.live


@pytest.mark.parametrize("published", [True, False])
def test_a_non_organiser_of_another_area_is_refused(client, event, draft, stranger, published):
    page = event if published else draft
    before = page.get_latest_revision().pk
    log_in_with_second_factor(client, stranger)

    response = client.get(_edit_url(page))
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    response = client.post(_edit_url(page), _form(page, title="乗っ取り", action="action-submit"))
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))

    page.refresh_from_db()
    assert page.get_latest_revision().pk == before and "乗っ取り" not in page.title
    assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()


def test_refused_editing_says_so(client, event, stranger):
    log_in_with_second_factor(client, stranger)
    response = client.get(_edit_url(event), follow=True)
    wagtails_msgid = "Sorry, you do not have permission to access this area."  # not ours to extract
    with translation.override("ja"):
        refusal = translation.gettext(wagtails_msgid)
    assert refusal != wagtails_msgid  # Wagtail's own Japanese
    assert refusal in response.content.decode()


# --- The dashboard ----------------------------------------------------------------------------


def test_the_dashboard_lists_my_organisations_upcoming_and_draft_events(
    client, area_a, area_b, wakaba, shirane, event, draft, organiser_elsewhere
):
    past = make_event(area_b, title="先月の しらね 親子体操", organisers=[shirane], start=date(2020, 5, 1))
    past_draft = make_event(
        area_b, title="古い下書き", organisers=[shirane], start=date(2020, 5, 1), live=False
    )
    other = make_event(area_a, title="わかば だけの催し", organisers=[wakaba])
    series = make_event(
        area_b,
        title="しらね 毎週のひろば",
        organisers=[shirane],
        start=date(2020, 4, 1),
        repeat="weekly",
        repeat_weekday=2,
        repeat_until=timezone.localdate() + timedelta(days=60),
    )
    log_in_with_second_factor(client, organiser_elsewhere)

    html = client.get(reverse("dashboard")).content.decode()
    section = html.split('id="events-heading"')[1].split("</section>")[0]

    for page in (event, draft, series):
        assert page.title in section
        assert f'href="{_edit_url(page)}"' in section
    for page in (past, past_draft, other):
        assert page.title not in section
    assert f'href="{event.url}"' in section
    assert f'href="{reverse("wagtailadmin_pages:view_draft", args=[draft.pk])}"' in section
    assert "下書き" in section or "Draft" in section


def test_the_dashboard_query_count_does_not_grow_with_events(
    every_page_rendered,
    client,
    area_a,
    area_b,
    wakaba,
    shirane,
    organiser_elsewhere,
    django_assert_max_num_queries,
):
    MembershipFactory(user=organiser_elsewhere, organisation=wakaba)
    counts = []
    for total in (2, 8):
        while EventPage.objects.count() < total:
            n = EventPage.objects.count()
            page = make_event(
                area_a if n % 2 else area_b,
                title=f"催し{n}",
                organisers=[wakaba, shirane],
                live=bool(n % 3),
                repeat="weekly" if n % 2 else "",
                repeat_weekday=n % 7 if n % 2 else None,
                repeat_until=timezone.localdate() + timedelta(days=90) if n % 2 else None,
            )
            page.dates = [EventDate(date=page.start_date + timedelta(days=3), kind=EventDate.Kind.EXTRA)]
            page.save()
        log_in_with_second_factor(client, organiser_elsewhere)
        client.get(reverse("dashboard"))  # warm the site root cache
        with django_assert_max_num_queries(45) as captured:
            html = client.get(reverse("dashboard")).content.decode()
        assert html.count('href="/admin/pages/') >= total
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_someone_whose_organisations_organise_nothing_sees_no_events_section(client, stranger):
    log_in_with_second_factor(client, stranger)
    assert 'id="events-heading"' not in client.get(reverse("dashboard")).content.decode()
