"""In the admin a partner meets only the pages they may see: another area's drafts and private
meetings are not named anywhere, and a logged-in person who is not a partner gets an explanation
instead of a redirect loop.

Area B (白根) has a meeting for its own partners, a draft, and a meeting for every partner. The
partner of area A (今宿西) tries every admin address that names pages; only the last of the three
may appear. The partner of area B and a network admin see all three.
"""

import json
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.documents import get_document_model
from wagtail.models import Task

from areas.models import AreaPage, Membership, PartnerOrganisation
from areas.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from cms.models import User
from coordination.events.tests.test_events_permissions import make_event
from coordination.meetings.models import MeetingPage, Visibility
from coordination.meetings.privacy import area_collection

pytestmark = [pytest.mark.django_db, pytest.mark.admin_search]

PRIVATE_TITLE = "白根エリア連携会議 ひみつの議題"
DRAFT_TITLE = "白根の下書き 出張ひろばの案"
NETWORK_TITLE = "白根ネットワーク会議 みんなの議題"
OWN_DRAFT_TITLE = "今宿西の下書き そとあそびの案"
HIDDEN_FROM_A = (PRIVATE_TITLE, DRAFT_TITLE)
#: What a partner would type to look for a page: a word of its title (the search box echoes it).
WORD = {title: title.split()[1] for title in (PRIVATE_TITLE, DRAFT_TITLE, NETWORK_TITLE, OWN_DRAFT_TITLE)}


def _meeting(area, title, visibility, *, live=True):
    start = timezone.now() - timedelta(days=7)
    meeting = MeetingPage(
        title=title,
        start=start,
        end=start + timedelta(hours=2),
        visibility=visibility,
        public_summary="第3回のエリア連携会議を開きました。",
        live=live,
    )
    area.add_child(instance=meeting)
    revision = meeting.save_revision()
    if live:
        revision.publish()
    meeting.refresh_from_db()
    return meeting


@pytest.fixture(scope="module")
def _world(demo_world):
    """Area A's draft, area B's three pages, a partner of each area and a network admin, made once
    for the module on the shared demo site (each test rolls back to them); the fixtures below
    read them afresh for each test."""
    with demo_world():
        area_a = AreaPage.objects.get(code="area-01")
        area_b = AreaPage.objects.get(code="area-02")
        own_draft = _meeting(area_a, OWN_DRAFT_TITLE, Visibility.AREA, live=False)
        # Area B's pages; the private meeting is the latest edited meeting of the site.
        pages = {
            NETWORK_TITLE: _meeting(area_b, NETWORK_TITLE, Visibility.NETWORK),
            DRAFT_TITLE: _meeting(area_b, DRAFT_TITLE, Visibility.PUBLIC, live=False),
            PRIVATE_TITLE: _meeting(area_b, PRIVATE_TITLE, Visibility.AREA),
        }
        partner_a = MembershipFactory(
            organisation=OrganisationFactory(name="わかば保育園", areas=[area_a])
        ).user
        partner_b = MembershipFactory(
            organisation=OrganisationFactory(name="しらね幼稚園", areas=[area_b])
        ).user
        network_admin = MembershipFactory(
            role=Membership.Role.NETWORK_ADMIN,
            organisation=OrganisationFactory(
                name="旭区こども家庭支援課", kind=PartnerOrganisation.Kind.WARD_OFFICE
            ),
        ).user
        yield {
            "own_draft": own_draft.pk,
            "pages": {title: page.pk for title, page in pages.items()},
            "partner_a": partner_a.pk,
            "partner_b": partner_b.pk,
            "network_admin": network_admin.pk,
        }


@pytest.fixture
def own_draft(_world):
    return MeetingPage.objects.get(pk=_world["own_draft"])


@pytest.fixture
def pages(_world):
    """Area B's pages; the private meeting is the latest edited meeting of the site."""
    return {title: MeetingPage.objects.get(pk=pk) for title, pk in _world["pages"].items()}


@pytest.fixture
def partner_a(_world):
    return User.objects.get(pk=_world["partner_a"])


@pytest.fixture
def partner_b(_world):
    return User.objects.get(pk=_world["partner_b"])


@pytest.fixture
def network_admin(settings, _world):
    # The second factor is not what these tests are about.
    settings.MFA_REQUIRED_FOR_ADMIN = False
    return User.objects.get(pk=_world["network_admin"])


def _shown(response) -> str:
    """What the browser gets to show: the modal's JSON decoded (titles are \\u-escaped in it)."""
    text = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _assert_hidden(response, titles=HIDDEN_FROM_A):
    shown = _shown(response)
    for title in titles:
        assert title not in shown, title


def _as(client, user):
    client.force_login(user)
    return client


# --- the page chooser --------------------------------------------------------------------------


def test_browsing_another_area_in_the_chooser_names_only_what_the_partner_may_see(
    client, area_b, pages, partner_a
):
    response = _as(client, partner_a).get(reverse("wagtailadmin_choose_page_child", args=[area_b.pk]))

    assert response.status_code == 200
    _assert_hidden(response)
    assert NETWORK_TITLE in _shown(response)


def test_browsing_the_areas_in_the_chooser_names_the_areas_only(client, area_b, pages, partner_a):
    index = area_b.get_parent()

    response = _as(client, partner_a).get(reverse("wagtailadmin_choose_page_child", args=[index.pk]))

    assert response.status_code == 200
    _assert_hidden(response)
    assert area_b.title in _shown(response)


def test_searching_the_chooser_for_another_areas_private_meeting_finds_nothing(client, pages, partner_a):
    _as(client, partner_a)
    for title in HIDDEN_FROM_A:
        response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": WORD[title]})

        assert response.status_code == 200
        _assert_hidden(response)
    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": WORD[NETWORK_TITLE]})
    assert NETWORK_TITLE in _shown(response)


def test_the_chooser_does_not_open_a_hidden_page_by_its_number(client, pages, partner_a):
    _as(client, partner_a)
    for title in HIDDEN_FROM_A:
        page = pages[title]
        browse = client.get(reverse("wagtailadmin_choose_page_child", args=[page.pk]))
        chosen = client.get(reverse("wagtailadmin_choose_page_chosen_multiple"), {"id": [page.pk]})

        assert browse.status_code != 200
        _assert_hidden(browse)
        _assert_hidden(chosen)


def test_the_partner_of_the_area_sees_its_pages_in_the_chooser(client, area_b, pages, partner_b):
    _as(client, partner_b)
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[area_b.pk]))
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": WORD[PRIVATE_TITLE]})
    meeting = client.get(reverse("wagtailadmin_choose_page_child", args=[pages[PRIVATE_TITLE].pk]))

    for title in (*HIDDEN_FROM_A, NETWORK_TITLE):
        assert title in _shown(browse), title
    assert PRIVATE_TITLE in _shown(search)
    assert meeting.status_code == 200


def test_a_partner_still_finds_their_own_areas_draft_in_the_chooser(client, pages, partner_a):
    response = _as(client, partner_a).get(
        reverse("wagtailadmin_choose_page_search"), {"q": WORD[OWN_DRAFT_TITLE]}
    )

    assert OWN_DRAFT_TITLE in _shown(response)


def test_an_organiser_from_another_area_finds_the_joint_draft_they_may_edit(client, area_a, partner_b):
    """Organisers edit their events wherever they live (`areas.access.EditedByOrganisers`)."""
    shirane = partner_b.memberships.get().organisation
    make_event(area_a, title="今宿西と白根の合同 親子あそびの会", organisers=[shirane], live=False)

    response = _as(client, partner_b).get(reverse("wagtailadmin_choose_page_search"), {"q": "親子あそびの会"})

    assert "今宿西と白根の合同 親子あそびの会" in _shown(response)


def test_a_network_admin_sees_everything_in_the_chooser(client, area_b, pages, network_admin):
    _as(client, network_admin)
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[area_b.pk]))
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": WORD[DRAFT_TITLE]})

    for title in (*HIDDEN_FROM_A, NETWORK_TITLE):
        assert title in _shown(browse), title
    assert DRAFT_TITLE in _shown(search)


# --- explorer, page search, reports, workflows ---------------------------------------------------


def test_the_explorer_of_another_area_names_none_of_its_hidden_pages(client, area_b, pages, partner_a):
    _as(client, partner_a)
    explorer = client.get(reverse("wagtailadmin_explore", args=[area_b.pk]), follow=True)
    searched = client.get(
        reverse("wagtailadmin_explore", args=[area_b.pk]),
        {"q": WORD[PRIVATE_TITLE], "search_all": 1},
        follow=True,
    )
    hidden_page = client.get(reverse("wagtailadmin_explore", args=[pages[PRIVATE_TITLE].pk]), follow=True)

    for response in (explorer, searched, hidden_page):
        _assert_hidden(response)


def test_the_explorer_keeps_to_visible_pages_even_when_its_search_is_not_filtered_by_permissions(
    client, settings, area_a, pages, partner_a
):
    """With this setting off, Wagtail searches the whole tree; the explorer's hook still filters."""
    settings.WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS = False
    _as(client, partner_a)
    for title in HIDDEN_FROM_A:
        response = client.get(
            reverse("wagtailadmin_explore", args=[area_a.pk]), {"q": WORD[title], "search_all": 1}
        )

        assert response.status_code == 200
        _assert_hidden(response)


def test_the_admin_page_search_names_none_of_another_areas_hidden_pages(client, pages, partner_a):
    _as(client, partner_a)
    for title in HIDDEN_FROM_A:
        response = client.get(reverse("wagtailadmin_pages:search"), {"q": WORD[title]})

        assert response.status_code == 200
        _assert_hidden(response)
    own = client.get(reverse("wagtailadmin_pages:search"), {"q": WORD[OWN_DRAFT_TITLE]})
    assert OWN_DRAFT_TITLE in _shown(own)


REPORTS = (
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:aging_pages",
    "wagtailadmin_reports:locked_pages",
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_tasks",
)


@pytest.mark.parametrize("report", REPORTS)
def test_no_report_names_another_areas_hidden_pages(client, pages, partner_a, report):
    response = _as(client, partner_a).get(reverse(report), follow=True)

    assert response.status_code == 200
    _assert_hidden(response)


def test_the_page_types_report_is_for_network_admins(client, pages, partner_a, network_admin):
    url = reverse("wagtailadmin_reports:page_types_usage")

    refused = _as(client, partner_a).get(url)
    menu = client.get(reverse("wagtailadmin_home"))
    allowed = _as(client, network_admin).get(url)

    assert refused.status_code == 302
    assert url not in menu.content.decode()
    assert allowed.status_code == 200
    assert PRIVATE_TITLE in allowed.content.decode()


def test_the_workflow_preview_does_not_name_another_areas_hidden_page(client, area_b, pages, partner_a):
    task = Task.objects.get(name=f"{area_b.title} 承認：承認")
    _as(client, partner_a)
    for title in HIDDEN_FROM_A:
        response = client.get(
            reverse("wagtailadmin_pages:workflow_preview", args=[pages[title].pk, task.pk]), follow=True
        )

        _assert_hidden(response)


def test_the_workflow_actions_do_not_name_another_areas_hidden_page(client, pages, own_draft, partner_a):
    """Any task in progress will do: the message about "not awaiting moderation" names the page."""
    workflow_state = own_draft.get_workflow().start(own_draft, partner_a)
    task_state = workflow_state.current_task_state
    _as(client, partner_a)
    for title in HIDDEN_FROM_A:
        for name in ("workflow_action", "collect_workflow_action_data"):
            url = reverse(f"wagtailadmin_pages:{name}", args=[pages[title].pk, "approve", task_state.pk])

            _assert_hidden(client.get(url, follow=True))


def test_the_move_confirmation_does_not_name_another_areas_hidden_page(client, area_a, pages, partner_a):
    _as(client, partner_a)
    for title in HIDDEN_FROM_A:
        url = reverse("wagtailadmin_pages:move_confirm", args=[pages[title].pk, area_a.pk])

        _assert_hidden(client.get(url, follow=True))


# --- the way in, for someone who is not a partner ---------------------------------------------


@pytest.fixture
def not_a_partner(demo_site):
    """A parent with an account, who subscribes to events but belongs to no organisation."""
    return UserFactory()


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/reports/site-history/"])
def test_a_logged_in_non_partner_gets_one_page_that_explains_the_admin(client, not_a_partner, path):
    response = _as(client, not_a_partner).get(path)

    assert response.status_code == 403
    html = response.content.decode()
    assert "管理画面はパートナー団体の方のためのページです" in html
    assert "エリアコーディネーター" in html and "招待してもらってください" in html
    assert reverse("dashboard") in html
    assert '<html lang="ja">' in html


def test_a_member_of_an_organisation_serving_no_area_gets_the_same_page(client, demo_site):
    loner = MembershipFactory(organisation=OrganisationFactory(name="旭こどもNPO")).user

    response = _as(client, loner).get("/admin/")

    assert response.status_code == 403
    assert "招待" in response.content.decode()


def test_a_visitor_who_is_not_logged_in_is_still_asked_to_log_in(client, demo_site):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_partner_still_opens_the_admin(client, partner_a):
    assert _as(client, partner_a).get("/admin/").status_code == 200


# --- admin views that take object ids from the query string ------------------------------------

PRIVATE_DOCUMENT_TITLE = "白根エリア 個人名入り名簿"


@pytest.fixture
def private_document(area_b):
    """An attachment of area B's partners, in their restricted collection."""
    collection = area_collection(area_b)
    return get_document_model().objects.create(
        title=PRIVATE_DOCUMENT_TITLE, file=ContentFile(b"%PDF-1.4\n", name="meibo.pdf"), collection=collection
    )


def _bulk_addresses(area_b, pages, private_document):
    """Every bulk action Wagtail registers for pages, documents and images, with the hidden objects
    named one by one, together, and as a whole listing (`id=all&childOf=`)."""
    hidden = [pages[title].pk for title in HIDDEN_FROM_A]
    named = {
        ("wagtailcore", "page"): [
            *([("id", pk)] for pk in hidden),
            [("id", pk) for pk in hidden],
            [("id", "all"), ("childOf", area_b.pk)],
            [("id", "all"), ("childOf", area_b.pk), ("q", WORD[PRIVATE_TITLE])],
        ],
        ("wagtaildocs", "document"): [
            [("id", private_document.pk)],
            [("id", "all"), ("childOf", private_document.collection_id)],
            [("id", "all")],
        ],
        ("wagtailimages", "image"): [[("id", private_document.pk)], [("id", "all")]],
    }
    for (app_label, model_name), queries in named.items():
        for action in bulk_action_registry.get_bulk_actions_for_model(app_label, model_name):
            path = reverse("wagtail_bulk_action", args=[app_label, model_name, action.action_type])
            for query in queries:
                yield f"{path}?{urlencode(query)}"


def _admin_routes_with_ids(patterns, prefix="admin/"):
    """The admin's registered routes, walked from the URL resolver, with their argument names."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _admin_routes_with_ids(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _fill(route, pk):
    """The route with every number in it set to `pk`; None when it takes other arguments."""
    path = re.sub(r"<int:\w+>", str(pk), route)
    return None if "<" in path or "(?P" in path or "^" in path else "/" + path


def test_bulk_actions_name_only_what_a_partner_of_another_area_may_see(
    client, area_b, pages, private_document, partner_a
):
    _as(client, partner_a)
    addresses = list(_bulk_addresses(area_b, pages, private_document))
    assert len(addresses) > 20

    for address in addresses:
        response = client.get(address)
        assert response.status_code in (200, 302, 403, 404), address
        _assert_hidden(response, (*HIDDEN_FROM_A, PRIVATE_DOCUMENT_TITLE))


def test_a_bulk_action_on_the_whole_listing_acts_on_visible_pages_only(client, area_b, pages, partner_b):
    """The partner of area B still gets their listing; narrowing keeps what they may see."""
    address = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    response = _as(client, partner_b).get(f"{address}?{urlencode({'id': 'all', 'childOf': area_b.pk})}")

    assert response.status_code == 200
    assert PRIVATE_TITLE in _shown(response) and NETWORK_TITLE in _shown(response)


def test_no_admin_address_names_a_hidden_object_by_its_number(
    client, area_b, pages, private_document, partner_a
):
    """Every admin route, walked from the URL resolver, with each hidden object's number in its path
    and in the query string (`?id=`, `?childOf=`, `?parent=`, `?collection_id=`)."""
    _as(client, partner_a)
    client.raise_request_exception = False
    ids = [pages[title].pk for title in HIDDEN_FROM_A] + [private_document.pk, area_b.pk]
    routes = [
        route
        for route, _ in _admin_routes_with_ids(get_resolver().url_patterns, "")
        if route.startswith("admin/")
    ]
    assert len(routes) > 100
    opened = 0
    for route in routes:
        for pk in ids:
            path = _fill(route, pk)
            if path is None:
                continue
            query = urlencode([("id", pk), ("childOf", pk), ("parent", pk), ("collection_id", pk)])
            response = client.get(f"{path}?{query}")
            opened += 1
            _assert_hidden(response, (*HIDDEN_FROM_A, PRIVATE_DOCUMENT_TITLE))
    for address in _bulk_addresses(area_b, pages, private_document):  # its arguments are names
        _assert_hidden(client.get(address), (*HIDDEN_FROM_A, PRIVATE_DOCUMENT_TITLE))
        opened += 1
    assert opened > 300
