import pytest
from allauth.account.models import EmailAddress
from wagtail.models import Page, Revision

from areas.models import AreaIndexPage, AreaPage, PartnerOrganisation
from areas.services import AREAS_CSV, read_area_file, sync_areas
from cms.demo import load_demo_data
from cms.models import User

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "partners": PartnerOrganisation.objects.count(),
        "partner_areas": PartnerOrganisation.areas.through.objects.count(),
        "users": User.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "titles": sorted(AreaPage.objects.values_list("title", flat=True)),
    }


def test_demo_load_creates_the_13_live_area_pages(demo_site):
    areas = AreaPage.objects.live().public()
    assert areas.count() == 13
    assert sorted(a.code for a in areas) == [f"area-{n:02d}" for n in range(1, 14)]
    assert {"今宿西エリア", "白根エリア", "若葉台エリア", "ひかりが丘エリア"} <= {a.title for a in areas}


def test_loading_twice_changes_nothing():
    load_demo_data(with_accounts=True)
    before = _snapshot()
    load_demo_data(with_accounts=True)
    assert _snapshot() == before


def test_every_area_has_the_four_liaison_core_members(demo_site):
    for area in AreaPage.objects.all():
        kinds = sorted(area.partners.values_list("kind", flat=True))
        assert kinds == sorted(PartnerOrganisation.CORE_KINDS), area.title
    ward_office = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.WARD_OFFICE)
    assert ward_office.areas.count() == 13


def test_unconfirmed_areas_carry_neutral_names_and_no_town_blocks():
    rows = read_area_file()
    assert len(rows) == 13
    assert len({row.code for row in rows}) == 13
    unconfirmed = [row for row in rows if "名称要確認" in row.name]
    assert unconfirmed, "the data file marks names it could not confirm"
    for row in unconfirmed:
        assert row.name.startswith("エリア") and row.town_blocks == ()
        assert "名称要確認" in row.care_plaza


def test_a_corrected_data_file_updates_the_area_in_place(demo_site, tmp_path):
    original = AREAS_CSV.read_text(encoding="utf-8")
    corrected = original.replace(
        "area-05,エリア5（名称要確認）,エリア5の地域ケアプラザ（名称要確認）,",
        "area-05,テストエリア,テスト地域ケアプラザ,テスト町1丁目、テスト町2丁目",
    )
    path = tmp_path / "areas.csv"
    path.write_text("\ufeff" + corrected, encoding="utf-8")  # as Excel saves it
    partners_before = PartnerOrganisation.objects.count()

    counts = sync_areas(index_page=AreaIndexPage.objects.get(), path=path)

    area = AreaPage.objects.get(code="area-05")
    assert counts["areas_updated"] == 1 and counts["areas_created"] == 0
    assert area.title == "テストエリア"
    assert area.town_block_list == ["テスト町1丁目", "テスト町2丁目"]
    assert area.live and not area.has_unpublished_changes
    assert PartnerOrganisation.objects.count() == partners_before
    assert area.partners.get(kind=PartnerOrganisation.Kind.CARE_PLAZA).name == "テスト地域ケアプラザ"


def test_the_demo_shows_volunteering_and_events_taking_registrations(client):
    from coordination.events.models import EventPage
    from coordination.volunteering.models import VolunteerPostingPage

    load_demo_data(with_accounts=True)
    postings = VolunteerPostingPage.objects.live()
    events = EventPage.objects.live()
    assert {p.posting_type for p in postings} == {"volunteer", "providing_member"}
    assert {e.registration for e in events} == {"first_come", "lottery"}
    assert any(e.is_ward_wide for e in events)
    for page in [*postings, *events]:
        assert client.get(page.url).status_code == 200, page.title
        assert client.get(f"/apply/{page.pk}/").status_code == 200, page.title
