"""Site set-up shared by the data loaders and the tests."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from areas.loading import AREAS_CSV, sync_areas
from areas.models import AreaIndexPage, AreaPage
from cms.models import HomePage
from coordination.events.models import AgeBand, EventIndexPage
from coordination.meetings.models import MeetingIndexPage
from coordination.meetings.workflows import ensure_area_workflow, ensure_network_workflow
from coordination.volunteering.models import VolunteerIndexPage

HOME_TITLE = "つなぐ"
HOME_INTRODUCTION = (
    "旭区で子育てを支える団体をつなぐ場所です。"
    "13のエリアごとに、地域ケアプラザ・社会福祉協議会・区役所・地域子育て支援拠点と"
    "保育園、幼稚園、子育てサロン、自治会、民生委員・児童委員がつながり、"
    "催しやボランティアの情報をお届けします。"
)


def _wagtail_roots() -> None:
    """A flushed database (transactional tests) has lost the locale, root page and collection that
    Wagtail's migrations create."""
    if not Locale.objects.exists():
        Locale.objects.create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))


def _home() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's own welcome page (and the Site on it) gives way to ours.
        Page.objects.filter(depth=2, content_type=ContentType.objects.get_for_model(Page)).delete()
        home = HomePage(title=HOME_TITLE, slug="home", introduction=HOME_INTRODUCTION)
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = site_address()
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=HOME_TITLE
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = HOME_TITLE
        site.save()
    return home


def site_address() -> tuple[str, int]:
    """The host name and port of SITE_URL, the public address, as Wagtail's Site records them."""
    address = urlsplit(settings.SITE_URL)
    return address.hostname or "localhost", address.port or (443 if address.scheme == "https" else 80)


def sync_site_address(**kwargs) -> None:
    """Point the default Site at SITE_URL, so the sitemap, feeds and Wagtail's own e-mails carry the
    public address; run after every migrate (post_migrate) and by the data loaders."""
    hostname, port = site_address()
    Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).update(
        hostname=hostname, port=port
    )


def _child_of_home(home, model, **fields):
    """The one page of this type under the home page, created and published when missing."""
    page = model.objects.first()
    if page is None:
        page = model(**fields)
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


@transaction.atomic
def ensure_site() -> tuple[HomePage, AreaIndexPage]:
    """Make sure the home page, the area index, the ward-wide pages and the default Site exist."""
    _wagtail_roots()
    home = _home()
    sync_site_address()
    index = _child_of_home(home, AreaIndexPage, title="エリア", slug="areas")
    meetings = _child_of_home(home, MeetingIndexPage, title="区全体の連携会議", slug="meetings")
    ensure_network_workflow(meetings)
    # Seeded by a migration too; a flushed database (transactional tests) needs them again.
    for order, key in enumerate(AgeBand.Key.values):
        AgeBand.objects.get_or_create(key=key, defaults={"sort_order": order})
    ward_events = _child_of_home(
        home,
        EventIndexPage,
        title="区全体の催し",
        slug="ward-events",
        introduction="旭区全体で開く催しです。各エリアの催しはカレンダーからご覧ください。",
    )
    ensure_network_workflow(ward_events)
    _child_of_home(
        home,
        VolunteerIndexPage,
        title="ボランティア・提供会員募集",
        slug="volunteer",
        introduction="子育て支援の現場で、できることから一緒に。活動の内容・日時・場所を具体的にご紹介します。",
    )
    return home, index


@transaction.atomic
def load_areas(*, path: Path = AREAS_CSV) -> dict[str, int]:
    """The areas and their core partners from the hub's data file, each area with its approval workflow
    and its partners' attachments collection; return what changed."""
    _, index = ensure_site()
    counts = sync_areas(index_page=index, path=path)
    for area in AreaPage.objects.all():
        ensure_area_workflow(area)
    return counts
