"""The leak matrix: who gets a private meeting's minutes, route by route.

Three meetings are published under area A, one per visibility (area, network, public). Each
has a secret word of its own in its minutes, decisions and action item, and a PDF attachment
with a secret of its own. Five readers try every route the site has; EXPECTED says, for each
route and visibility, exactly who gets the meeting's content. Everyone else gets none of it:
not the secret, and not the page's title or link where the route would show them. One reader's
organisation, from another area, is invited to every meeting and owns an action item of its own:
where it may not read the minutes, its page is the invitation view (SEES_INVITATION), and the
last section checks that no e-mail or inbox item tells anyone more than their page view shows.

There are no RSS or iCal feeds for meetings and the Wagtail API is not enabled: those rows
check that the addresses they would have answer 404 for everyone.

The readers and the three meetings are made once for the module on the shared demo site, in a
savepoint rolled back at its end; each test runs in a savepoint inside it (as Django's
setUpTestData does), so the 150-odd cells of the matrix take seconds, not minutes. The meeting the
notification tests read is made once too, in a savepoint of its own inside that one.
"""

import importlib.util
import json
import sys
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from areas.models import AreaPage, ManagedGroup, Membership, PartnerOrganisation
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    forget_session,
    log_in_with_second_factor,
    session_of,
    use_session,
)
from cms.models import ContentPage, HomePage
from coordination.meetings.models import ActionItem, MeetingAttachment, MeetingPage, Visibility
from coordination.meetings.services import send_reminders
from coordination.notifications.models import Kind, Notification

pytestmark = [pytest.mark.django_db, pytest.mark.admin_search]

ANONYMOUS = "anonymous"
PARTNER_A = "partner_a"
PARTNER_B = "partner_b"
NETWORK_ADMIN = "network_admin"
#: A member of an organisation of area C, invited to area A's meetings.
INVITED = "invited_c"
READERS = (ANONYMOUS, PARTNER_A, PARTNER_B, NETWORK_ADMIN, INVITED)
VISIBILITIES = (Visibility.AREA, Visibility.NETWORK, Visibility.PUBLIC)

#: What every meeting's minutes share (the search word), and what makes each one's secret unique.
SECRET_WORD = "秘密の議題"
SECRETS = {
    Visibility.AREA: f"{SECRET_WORD}あかね",
    Visibility.NETWORK: f"{SECRET_WORD}みどり",
    Visibility.PUBLIC: f"{SECRET_WORD}そらいろ",
}
FILE_SECRETS = {
    Visibility.AREA: "添付だけの秘密あかね".encode(),
    Visibility.NETWORK: "添付だけの秘密みどり".encode(),
    Visibility.PUBLIC: "添付だけの秘密そらいろ".encode(),
}
TITLES = {
    Visibility.AREA: "今宿西エリア連携会議（エリア内）",
    Visibility.NETWORK: "今宿西エリア連携会議（ネットワーク内）",
    Visibility.PUBLIC: "今宿西エリア連携会議（公開）",
}
#: What the invited organisation may see of every meeting, and its own action item.
AGENDA = "夏の合同ひろばの進め方"
OWN_ITEMS = {
    Visibility.AREA: "受付の名簿を用意するあかね",
    Visibility.NETWORK: "受付の名簿を用意するみどり",
    Visibility.PUBLIC: "受付の名簿を用意するそらいろ",
}
PUBLIC_SUMMARIES = {
    Visibility.AREA: "第3回のエリア連携会議を開きました。",
    Visibility.NETWORK: "第3回のネットワーク連携会議を開きました。",
    Visibility.PUBLIC: "第3回の公開連携会議を開きました。",
}

EVERYONE = frozenset(READERS)
NOBODY = frozenset()
AREA_A_EDITORS = frozenset({PARTNER_A, NETWORK_ADMIN})
#: Who may read the meeting's page: the rule every other route must keep to.
READS = {
    Visibility.AREA: frozenset({PARTNER_A, NETWORK_ADMIN}),
    # Organisations serving any area are partners of the network: the invited one too.
    Visibility.NETWORK: frozenset({PARTNER_A, PARTNER_B, NETWORK_ADMIN, INVITED}),
    Visibility.PUBLIC: EVERYONE,
}
#: Who gets the invitation view (date, place, agenda, their own action items) instead of a 403.
SEES_INVITATION = {
    Visibility.AREA: frozenset({INVITED}),
    Visibility.NETWORK: NOBODY,
    Visibility.PUBLIC: NOBODY,
}
#: route → visibility → the readers who get the meeting's content by that route.
EXPECTED = {
    "page": READS,
    "search": READS,
    "area_listing_link": READS,
    "document_download": READS,
    "pdf_export": READS,
    # An area's action items download is for its partners and network admins, whatever the meeting.
    "action_items_csv": {visibility: AREA_A_EDITORS for visibility in VISIBILITIES},
    # The sitemap is the same for everyone and lists public pages only.
    "sitemap": {Visibility.AREA: NOBODY, Visibility.NETWORK: NOBODY, Visibility.PUBLIC: EVERYONE},
    "feeds": {visibility: NOBODY for visibility in VISIBILITIES},
    "wagtail_api": {visibility: NOBODY for visibility in VISIBILITIES},
    "media_path": {visibility: NOBODY for visibility in VISIBILITIES},
    # Preview and the admin's page search are for those who may edit area A's pages.
    "preview": {visibility: AREA_A_EDITORS for visibility in VISIBILITIES},
    "admin_page_search": {visibility: AREA_A_EDITORS for visibility in VISIBILITIES},
    # Partners manage the documents of their area's collection; network admins every collection.
    "admin_documents": {
        Visibility.AREA: frozenset({PARTNER_A, NETWORK_ADMIN}),
        Visibility.NETWORK: frozenset({NETWORK_ADMIN}),
        Visibility.PUBLIC: frozenset({NETWORK_ADMIN}),
    },
    # The minutes e-mail goes to the area's partners (area visibility) or to every partner; the
    # network admin's organisation serves no area, so the admin gets no area-only e-mail.
    "email": {
        Visibility.AREA: frozenset({PARTNER_A}),
        Visibility.NETWORK: frozenset({PARTNER_A, PARTNER_B, NETWORK_ADMIN, INVITED}),
        Visibility.PUBLIC: frozenset({PARTNER_A, PARTNER_B, NETWORK_ADMIN, INVITED}),
    },
}
FEED_URLS = ("/feeds/", "/feed/", "/rss/", "/meetings/feed/", "/meetings.ics", "/ical/", "/calendar.ics")
API_URLS = ("/api/", "/api/v2/pages/", "/api/v2/documents/")

CELLS = [(visibility, reader) for visibility in VISIBILITIES for reader in READERS]
matrix = pytest.mark.parametrize(
    ("visibility", "reader"), CELLS, ids=[f"{visibility}-{reader}" for visibility, reader in CELLS]
)


def allowed(route, visibility, reader) -> bool:
    return reader in EXPECTED[route][visibility]


# --- the world: made once, rolled back at the end of the module ---------------------------------


@dataclass
class World:
    area_a: AreaPage
    area_b: AreaPage
    people: dict
    meetings: dict
    emails: list
    #: reader → the key of a session logged in as them with the second factor passed, made once;
    #: each test's client takes it up (`use_session`).
    sessions: dict


def _people(area_a, area_b, area_c) -> dict:
    """The readers, by name; the anonymous reader is None."""
    partner_a = MembershipFactory(
        organisation=OrganisationFactory(name="いまじゅく保育園", areas=[area_a])
    ).user
    partner_b = MembershipFactory(
        organisation=OrganisationFactory(name="しらね子育てサロン", areas=[area_b])
    ).user
    admin = MembershipFactory(
        role=Membership.Role.NETWORK_ADMIN,
        organisation=OrganisationFactory(
            name="旭区こども家庭支援課", kind=PartnerOrganisation.Kind.WARD_OFFICE
        ),
    ).user
    invited = MembershipFactory(
        organisation=OrganisationFactory(name="すげたの子育てひろば", areas=[area_c])
    ).user
    # Network admins open the admin only with a second factor.
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return {
        ANONYMOUS: None,
        PARTNER_A: partner_a,
        PARTNER_B: partner_b,
        NETWORK_ADMIN: admin,
        INVITED: invited,
    }


def _new_meeting(
    area, visibility, *, title, secret, owner, attachment=None, decisions=None, invited=None, own_item=""
) -> MeetingPage:
    """A past meeting with minutes, decisions and an action item, saved as a draft under the area;
    the invited organisation, if any, owns an action item of its own."""
    start = timezone.now() - timedelta(days=7)
    meeting = MeetingPage(
        title=title,
        start=start,
        end=start + timedelta(hours=2),
        place="今宿西地区センター",
        agenda=f"<p>{AGENDA}</p>",
        minutes=[("paragraph", RichText(f"<p>{secret}について話し合いました。</p>"))],
        decisions=decisions or f"<p>{secret}は来月に決めます。</p>",
        visibility=visibility,
        public_summary=PUBLIC_SUMMARIES[visibility],
    )
    due = timezone.localdate() + timedelta(days=7)
    items = [ActionItem(description=f"{secret}の資料を配る", owner=owner, due=due)]
    if invited is not None:
        meeting.invited_organisations = [invited]
        items.append(ActionItem(description=own_item, owner=invited, due=due))
    meeting.action_items = items
    if attachment is not None:
        meeting.attachments = [MeetingAttachment(document=attachment)]
    area.add_child(instance=meeting)
    return meeting


def _publish(meeting) -> MeetingPage:
    """Publish as the editor's "Publish" does; the caller runs the after-commit callbacks."""
    meeting.save_revision().publish()
    meeting.refresh_from_db()
    return meeting


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def world(demo_world, media_root):
    """On the shared demo site, five readers and three published meetings, with the e-mails they
    caused."""
    files_on_disk = override_settings(
        # Wagtail's serve view reads documents from disk.
        MEDIA_ROOT=media_root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        EMAIL_BACKEND="common.mail.CeleryEmailBackend",
    )
    with files_on_disk, demo_world():
        area_a = AreaPage.objects.get(code="area-01")
        area_b = AreaPage.objects.get(code="area-02")
        people = _people(area_a, area_b, AreaPage.objects.get(code="area-03"))
        owner = people[PARTNER_A].memberships.get().organisation
        invited = people[INVITED].memberships.get().organisation
        mail.outbox = []
        meetings = {}
        with TestCase.captureOnCommitCallbacks(execute=True):
            for visibility in VISIBILITIES:
                document = Document.objects.create(
                    title=f"配布資料（{visibility}）",
                    file=ContentFile(
                        b"%PDF-1.4\n" + FILE_SECRETS[visibility] + b"\n%%EOF\n", name="minutes.pdf"
                    ),
                )
                meetings[visibility] = _publish(
                    _new_meeting(
                        area_a,
                        visibility,
                        title=TITLES[visibility],
                        secret=SECRETS[visibility],
                        owner=owner,
                        attachment=document,
                        invited=invited,
                        own_item=OWN_ITEMS[visibility],
                    )
                )
        sessions = {reader: session_of(user) for reader, user in people.items() if user is not None}
        yield World(area_a, area_b, people, meetings, emails=list(mail.outbox), sessions=sessions)


@pytest.fixture
def as_reader(world, client, reader):
    """A test client logged in as the reader under test (or not logged in at all)."""
    if world.people[reader] is not None:
        use_session(client, world.sessions[reader])
    return client


@pytest.fixture
def meeting(world, visibility):
    return world.meetings[visibility]


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _text(response) -> str:
    return _body(response).decode("utf-8-sig", errors="replace")


def _refused(response, reader):
    """Refused as Wagtail refuses a restricted page: to the log-in page, or not 200 once logged in."""
    assert response.status_code != 200
    if reader == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def _mail_text(message) -> str:
    parts = [message.subject, message.body]
    parts += [content for content, _mimetype in getattr(message, "alternatives", [])]
    return "\n".join(parts)


# --- the table itself ------------------------------------------------------------------------


def test_no_route_gives_more_than_the_page_does():
    for route, by_visibility in EXPECTED.items():
        for visibility in VISIBILITIES:
            assert by_visibility[visibility] <= READS[visibility], (route, visibility)
    for visibility in VISIBILITIES:
        assert not SEES_INVITATION[visibility] & READS[visibility], visibility


def test_the_meetings_are_restricted_as_their_visibility_says(world):
    for visibility, meeting in world.meetings.items():
        restrictions = list(PageViewRestriction.objects.filter(page=meeting))
        if visibility == Visibility.PUBLIC:
            assert restrictions == []
        else:
            assert [r.restriction_type for r in restrictions] == [PageViewRestriction.GROUPS]
        document = meeting.attachments.get().document
        assert bool(document.collection.get_view_restrictions()) is (visibility != Visibility.PUBLIC)


# --- the matrix: route × reader × visibility --------------------------------------------------


@matrix
def test_page_url(meeting, as_reader, visibility, reader):
    response = as_reader.get(meeting.url)

    html = _text(response)
    if allowed("page", visibility, reader):
        assert response.status_code == 200
        assert SECRETS[visibility] in html
    elif reader in SEES_INVITATION[visibility]:
        # The invitation view: date, place, agenda and their own action item; never the minutes,
        # decisions, others' action items (all carrying the secret) or the attachments.
        assert response.status_code == 200
        assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
        assert meeting.title in html and "今宿西地区センター" in html and AGENDA in html
        assert f"{timezone.localtime(meeting.start):%H:%M}" in html
        assert OWN_ITEMS[visibility] in html
        assert meeting.attachments.get().document.title not in html
        assert reverse("meetings:pdf", args=[meeting.pk]) not in html
        assert PUBLIC_SUMMARIES[visibility] not in html
    else:
        _refused(response, reader)
    if not allowed("page", visibility, reader):
        assert SECRETS[visibility] not in html


@matrix
def test_search_results(meeting, as_reader, visibility, reader):
    response = as_reader.get(reverse("search"), {"q": SECRET_WORD})

    html = _text(response)
    assert response.status_code == 200
    found = f'href="{meeting.url}"' in html
    assert found is allowed("search", visibility, reader)
    # A page the reader may not view is not even named.
    assert (meeting.title in html) is found


@matrix
def test_search_by_the_whole_secret(meeting, as_reader, visibility, reader):
    response = as_reader.get(reverse("search"), {"q": SECRETS[visibility]})

    html = _text(response)
    assert (f'href="{meeting.url}"' in html) is allowed("search", visibility, reader)
    assert (meeting.title in html) is allowed("search", visibility, reader)


@matrix
def test_area_page_listing(world, meeting, as_reader, visibility, reader):
    response = as_reader.get(world.area_a.url)

    html = _text(response)
    assert response.status_code == 200
    link = f'href="{meeting.url}"'
    if allowed("area_listing_link", visibility, reader):
        assert link in html
        assert PUBLIC_SUMMARIES[visibility] not in html
    else:
        assert link not in html
        assert PUBLIC_SUMMARIES[visibility] in html
    assert SECRETS[visibility] not in html


@matrix
def test_document_download(meeting, as_reader, visibility, reader):
    document = meeting.attachments.get().document

    response = as_reader.get(document.url)

    if allowed("document_download", visibility, reader):
        assert response.status_code == 200
        assert FILE_SECRETS[visibility] in _body(response)
    else:
        _refused(response, reader)
        assert FILE_SECRETS[visibility] not in _body(response)


@matrix
def test_media_path_does_not_serve_documents(meeting, as_reader, settings, visibility, reader):
    """Only Wagtail's serve view hands out documents: MEDIA_URL is routed only when DEBUG or SERVE_MEDIA."""
    document = meeting.attachments.get().document
    assert not settings.DEBUG and not settings.SERVE_MEDIA
    assert (settings.MEDIA_ROOT / document.file.name).exists()

    response = as_reader.get(settings.MEDIA_URL + document.file.name)

    assert not allowed("media_path", visibility, reader)
    assert response.status_code == 404
    assert FILE_SECRETS[visibility] not in _body(response)


@matrix
def test_pdf_export(meeting, as_reader, visibility, reader):
    response = as_reader.get(reverse("meetings:pdf", args=[meeting.pk]))

    if allowed("pdf_export", visibility, reader):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    else:
        _refused(response, reader)
        assert not _body(response).startswith(b"%PDF")


@matrix
def test_action_items_csv(world, as_reader, visibility, reader):
    response = as_reader.get(reverse("meetings:area_action_items_csv", args=[world.area_a.code]))

    csv = _text(response)
    if allowed("action_items_csv", visibility, reader):
        assert response.status_code == 200
        assert SECRETS[visibility] in csv
    else:
        _refused(response, reader)
        assert SECRETS[visibility] not in csv


@matrix
def test_sitemap(meeting, as_reader, visibility, reader):
    response = as_reader.get("/sitemap.xml")

    xml = _text(response)
    assert response.status_code == 200
    assert (meeting.url in xml) is allowed("sitemap", visibility, reader)
    assert SECRETS[visibility] not in xml


@matrix
def test_there_are_no_feeds(meeting, as_reader, visibility, reader):
    """No RSS or iCal feed exists for meetings yet: none of the usual addresses answers."""
    assert not allowed("feeds", visibility, reader)
    for url in FEED_URLS:
        response = as_reader.get(url)
        assert response.status_code == 404, url
        assert SECRETS[visibility] not in _text(response), url


@matrix
def test_the_wagtail_api_is_not_enabled(meeting, as_reader, visibility, reader):
    assert not allowed("wagtail_api", visibility, reader)
    for url in (*API_URLS, f"/api/v2/pages/{meeting.pk}/"):
        response = as_reader.get(url)
        assert response.status_code == 404, url
        assert SECRETS[visibility] not in _text(response), url


@matrix
def test_preview_links(meeting, as_reader, visibility, reader):
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[meeting.pk])
    draft = reverse("wagtailadmin_pages:view_draft", args=[meeting.pk])
    revision = reverse("wagtailadmin_pages:revisions_view", args=[meeting.pk, meeting.latest_revision_id])

    responses = {url: as_reader.get(url) for url in (preview, draft, revision)}

    if allowed("preview", visibility, reader):
        assert {url: r.status_code for url, r in responses.items()} == dict.fromkeys(responses, 200)
        # The draft and the revision show the minutes themselves to those who may edit them.
        assert SECRETS[visibility] in _text(responses[draft])
        assert SECRETS[visibility] in _text(responses[revision])
    else:
        for url, response in responses.items():
            assert response.status_code != 200, url
            assert SECRETS[visibility] not in _text(response), url
            assert meeting.title not in _text(response), url


@matrix
def test_admin_page_search(meeting, as_reader, visibility, reader):
    response = as_reader.get(reverse("wagtailadmin_pages:search"), {"q": meeting.title})

    edit_link = reverse("wagtailadmin_pages:edit", args=[meeting.pk])
    if reader == ANONYMOUS:
        _refused(response, reader)
    assert (edit_link in _text(response)) is allowed("admin_page_search", visibility, reader)


@matrix
def test_admin_documents(meeting, as_reader, visibility, reader):
    """The documents listing and the chooser name an attachment only to those who manage its collection."""
    document = meeting.attachments.get().document
    listing = as_reader.get(reverse("wagtaildocs:index"), {"q": "配布資料"})
    chooser = as_reader.get(reverse("wagtaildocs_chooser:choose"), {"q": "配布資料"})

    chooser_html = json.loads(chooser.content)["html"] if chooser.status_code == 200 else _text(chooser)
    for html in (_text(listing), chooser_html):
        assert (document.title in html) is allowed("admin_documents", visibility, reader)
    if reader == ANONYMOUS:
        _refused(listing, reader)
        _refused(chooser, reader)


@matrix
def test_minutes_email(world, visibility, reader):
    """The minutes e-mail carries the decisions only to those who may read the meeting."""
    names = {user.email: name for name, user in world.people.items() if user is not None}
    secret = SECRETS[visibility]
    with_secret = {
        names.get(to, to) for message in world.emails if secret in _mail_text(message) for to in message.to
    }
    # Nobody outside the page's readers gets the secret by e-mail, whoever the reader under test.
    assert with_secret <= READS[visibility]
    assert (reader in with_secret) is allowed("email", visibility, reader)
    user = world.people[reader]
    if user is not None and reader not in READS[visibility]:
        for message in world.emails:
            if user.email in message.to:
                assert world.meetings[visibility].title not in _mail_text(message)


# --- search: Japanese words inside text, pages under a restricted parent ---------------------


@pytest.fixture
def search_as(world, client):
    def _search(reader, query):
        if world.people[reader] is not None:
            use_session(client, world.sessions[reader])
        else:
            forget_session(client)
        response = client.get(reverse("search"), {"q": query})
        assert response.status_code == 200
        return _text(response)

    return _search


def test_a_japanese_word_inside_a_sentence_is_found_by_those_who_may_read_it(world, search_as):
    home = HomePage.objects.get()
    guide = ContentPage(title="「出張ひろば」のご案内", summary="毎月第2水曜日に開きます。")
    home.add_child(instance=guide)
    guide.save_revision().publish()
    cancelled = _publish(
        _new_meeting(
            world.area_a,
            Visibility.AREA,
            title="今宿西エリア連携会議（第4回）",
            secret="第4回の議題",
            owner=world.people[PARTNER_A].memberships.get().organisation,
            decisions="<p>来月の出張ひろばは中止</p>",
        )
    )

    for reader in READERS:
        html = search_as(reader, "出張ひろば")
        assert f'href="{guide.url}"' in html, reader
        may_read = reader in READS[Visibility.AREA]
        assert (f'href="{cancelled.url}"' in html) is may_read, reader
        assert (cancelled.title in html) is may_read, reader


def test_pages_under_a_restricted_parent_stay_hidden(world, search_as):
    home = HomePage.objects.get()
    room = ContentPage(title="事務局の資料室", summary="ネットワーク管理者のための資料です。")
    home.add_child(instance=room)
    room.save_revision().publish()
    restriction = PageViewRestriction.objects.create(page=room, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(managed__kind=ManagedGroup.Kind.NETWORK_ADMINS)])
    # The child has no restriction of its own: its parent's covers it.
    contacts = ContentPage(title="連絡網", summary="合言葉 しまりす")
    room.add_child(instance=contacts)
    contacts.save_revision().publish()

    for reader in READERS:
        html = search_as(reader, "しまりす")
        found = f'href="{contacts.url}"' in html
        assert found is (reader == NETWORK_ADMIN), reader
        assert (contacts.title in html) is found, reader


@pytest.mark.parametrize("query", ['"', "AND", "*", "出張 OR", "()", "🙂", "a" * 300])
def test_odd_queries_do_not_break_the_search(search_as, query):
    assert "search-q" in search_as(PARTNER_A, query)


def test_results_are_paginated(world, search_as, client):
    home = HomePage.objects.get()
    for number in range(12):
        page = ContentPage(title=f"子育て通信 第{number}号", summary="ひよこ組のお知らせ")
        home.add_child(instance=page)
        page.save_revision().publish()

    first = search_as(ANONYMOUS, "ひよこ組のお知らせ")
    second = client.get(reverse("search"), {"q": "ひよこ組のお知らせ", "page": 2}).content.decode()

    assert first.count("子育て通信 第") == 10
    assert second.count("子育て通信 第") == 2


# --- known leaks, beyond the four readers ------------------------------------------------------


def test_a_partner_of_no_area_gets_no_secret_by_email(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    loner = MembershipFactory(organisation=OrganisationFactory(name="旭こどもNPO")).user
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _publish(
            _new_meeting(
                world.area_a,
                Visibility.NETWORK,
                title="ネットワーク連携会議（第2回）",
                secret="第2回の秘密",
                owner=world.people[PARTNER_A].memberships.get().organisation,
            )
        )
    log_in_with_second_factor(client, loner)

    assert client.get(meeting.url).status_code != 200
    to_loner = [message for message in mailoutbox if loner.email in message.to]
    assert all("第2回の秘密" not in _mail_text(message) for message in to_loner)


@pytest.fixture
def urls_serving_media(settings, media_root):
    """cms/urls.py as the docker-compose stack runs it, with SERVE_MEDIA=True."""
    settings.SERVE_MEDIA = True
    spec = importlib.util.find_spec("cms.urls")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["_urls_serving_media"] = module
    settings.ROOT_URLCONF = "_urls_serving_media"
    yield
    del sys.modules["_urls_serving_media"]


def test_with_serve_media_the_media_path_still_does_not_serve_documents(world, client, urls_serving_media):
    document = world.meetings[Visibility.AREA].attachments.get().document

    response = client.get("/media/" + document.file.name)

    assert response.status_code == 404
    assert FILE_SECRETS[Visibility.AREA] not in _body(response)


# --- what each notification tells, against what the reader's page shows ----------------------

#: The texts of an area-only meeting announced to area A's partner and to the invited organisation.
TOLD_TITLE = "合同連携会議（あさひ）"
TOLD_AGENDA = "合同ひろばの受付の分担"
TOLD_OWN_ITEM = "受付の机を並べる"
TOLD_OTHER_ITEM = "いまじゅく保育園だけの宿題"
TOLD_MINUTES = "招待団体には見せない議事録"
TOLD_DECISIONS = "招待団体には見せない決定事項"
TOLD_ATTACHMENT = "名簿（招待団体には見せない）"
TOLD_TEXTS = (
    TOLD_TITLE,
    TOLD_AGENDA,
    TOLD_OWN_ITEM,
    TOLD_OTHER_ITEM,
    TOLD_MINUTES,
    TOLD_DECISIONS,
    TOLD_ATTACHMENT,
)
#: Each meeting notification, and who it reaches: area A's partner (invited, owner of one action
#: item, reader of the minutes) and the invited organisation of area C (owner of the other item).
TOLD = {
    "announcement": frozenset({PARTNER_A, INVITED}),
    "meeting_reminder": frozenset({PARTNER_A, INVITED}),
    "action_item_reminder": frozenset({PARTNER_A, INVITED}),
    "minutes": frozenset({PARTNER_A}),
}
TOLD_READERS = (PARTNER_A, PARTNER_B, NETWORK_ADMIN, INVITED)
TOLD_CELLS = [(told, reader) for told in TOLD for reader in TOLD_READERS]


def _told(notification) -> str:
    if notification.kind == Kind.REMINDER:
        items = (TOLD_OWN_ITEM, TOLD_OTHER_ITEM)
        return (
            "action_item_reminder"
            if any(item in notification.title for item in items)
            else "meeting_reminder"
        )
    return {Kind.MEETING: "announcement", Kind.NEW_MINUTES: "minutes"}[notification.kind]


@pytest.fixture(scope="module")
def _announced(world, demo_world):
    """The meeting of tomorrow, announced on publishing, reminded of the day before, then published
    again with its minutes: as the editor and the reminder task do, with every e-mail sent. Made
    once for the notification tests; returns its id and the e-mails."""
    with demo_world():
        mail.outbox = []
        meeting = _announce(world)
        yield meeting.pk, list(mail.outbox)


@pytest.fixture
def announced(_announced):
    return MeetingPage.objects.get(pk=_announced[0])


@pytest.fixture
def announced_emails(_announced):
    """The e-mails the announced meeting caused, to anyone."""
    return _announced[1]


def _announce(world) -> MeetingPage:
    owner = world.people[PARTNER_A].memberships.get().organisation
    invited = world.people[INVITED].memberships.get().organisation
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time(14)))
    meeting = MeetingPage(
        title=TOLD_TITLE,
        start=start,
        end=start + timedelta(hours=2),
        place="今宿西地区センター",
        agenda=f"<p>{TOLD_AGENDA}</p>",
        visibility=Visibility.AREA,
    )
    meeting.invited_organisations = [owner, invited]
    meeting.action_items = [
        ActionItem(description=TOLD_OWN_ITEM, owner=invited, due=tomorrow),
        ActionItem(description=TOLD_OTHER_ITEM, owner=owner, due=tomorrow),
    ]
    roster = Document.objects.create(
        title=TOLD_ATTACHMENT, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="roster.pdf")
    )
    meeting.attachments = [MeetingAttachment(document=roster)]
    world.area_a.add_child(instance=meeting)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _publish(meeting)
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_reminders()
    meeting.minutes = [("paragraph", RichText(f"<p>{TOLD_MINUTES}</p>"))]
    meeting.decisions = f"<p>{TOLD_DECISIONS}</p>"
    with TestCase.captureOnCommitCallbacks(execute=True):
        _publish(meeting)
    return meeting


@pytest.mark.parametrize(("told", "reader"), TOLD_CELLS, ids=[f"{t}-{r}" for t, r in TOLD_CELLS])
def test_no_notification_tells_more_than_the_page_shows(
    world, announced, announced_emails, client, told, reader
):
    """For each meeting notification, the e-mail and the inbox item carry nothing that the
    reader's page view of the meeting hides; whoever is told something may open the page."""
    user = world.people[reader]
    use_session(client, world.sessions[reader])
    page = client.get(announced.url)
    shown = _text(page) if page.status_code == 200 else ""
    hidden = [text for text in TOLD_TEXTS if text not in shown]
    notifications = [n for n in Notification.objects.filter(url=announced.url) if _told(n) == told]
    subjects = {f"[つなぐ] {n.title}" for n in notifications}

    mails = [_mail_text(m) for m in announced_emails if user.email in m.to and m.subject in subjects]
    inbox = client.get(reverse("notifications:inbox"))
    items = [d for d in inbox.context["page"] if d.notification in notifications]
    inbox_texts = [d.notification.title + (d.notification.body if d.body_visible else "") for d in items]

    assert notifications
    assert bool(mails) is bool(items) is (reader in TOLD[told])
    for text in [*mails, *inbox_texts, _text(inbox)]:
        assert [secret for secret in hidden if secret in text] == []
    # Partners of another area not taking part get the 403 page, as before.
    assert page.status_code == (403 if reader == PARTNER_B else 200)
    if (told, reader) == ("minutes", PARTNER_A):
        assert any(TOLD_DECISIONS in text for text in mails + inbox_texts)


def test_the_invited_organisation_sees_what_it_was_told_and_no_more(world, announced, client):
    use_session(client, world.sessions[INVITED])

    html = _text(client.get(announced.url))

    for told in (TOLD_TITLE, TOLD_AGENDA, TOLD_OWN_ITEM, "今宿西地区センター", "14:00"):
        assert told in html
    for hidden in (TOLD_MINUTES, TOLD_DECISIONS, TOLD_OTHER_ITEM, TOLD_ATTACHMENT):
        assert hidden not in html
    # Search and the attachment stay closed to them.
    assert announced.url not in _text(client.get(reverse("search"), {"q": TOLD_AGENDA}))
    assert client.get(announced.attachments.get().document.url).status_code == 403


def test_an_owner_organisation_from_another_area_sees_its_own_action_item(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """Not invited, but owning an action item: its reminder names the item and the meeting, and
    the invitation view shows both."""
    salon = OrganisationFactory(name="しらね親子サロン", areas=[world.area_b])
    member = MembershipFactory(organisation=salon).user
    tomorrow = timezone.localdate() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _publish(
            _new_meeting(
                world.area_a,
                Visibility.AREA,
                title="今宿西エリア連携会議（第5回）",
                secret="第5回の秘密",
                owner=world.people[PARTNER_A].memberships.get().organisation,
            )
        )
    ActionItem.objects.create(meeting=meeting, description="白根の掲示板に貼る", owner=salon, due=tomorrow)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()
    log_in_with_second_factor(client, member)

    [message] = [m for m in mailoutbox if member.email in m.to]
    html = _text(client.get(meeting.url))

    assert "白根の掲示板に貼る" in message.subject and meeting.title in message.subject
    assert "白根の掲示板に貼る" in html and meeting.title in html
    assert "第5回の秘密" not in html + _mail_text(message)
