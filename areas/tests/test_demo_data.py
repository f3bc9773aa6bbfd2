import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, Revision

from areas.loading import AREAS_CSV, read_area_file, sync_areas
from areas.models import AreaIndexPage, AreaPage, PartnerOrganisation
from areas.tests.factories import log_in_with_second_factor
from cms.demo import DEMO_ACCOUNTS, load_demo_data
from cms.models import User
from coordination.meetings.models import MeetingPage

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


def test_loading_twice_changes_nothing(full_demo):
    """Loading again what the shared demo loaded (`load_demo_data(with_accounts=True)`, as `make
    run` does) adds nothing."""
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


def test_the_demo_shows_volunteering_and_events_taking_registrations(client, full_demo):
    from coordination.events.models import EventPage
    from coordination.volunteering.models import VolunteerPostingPage

    postings = VolunteerPostingPage.objects.live()
    events = EventPage.objects.live()
    assert {p.posting_type for p in postings} == {"volunteer", "providing_member"}
    assert {"first_come", "lottery"} <= {e.registration for e in events}
    assert any(not e.areas.exists() for e in events)  # one is ward-wide
    for page in [*postings, *events]:
        assert client.get(page.url).status_code == 200, page.title
        if page.takes_signups():  # the demo 出張ひろば is drop-in
            assert client.get(f"/signups/apply/{page.pk}/").status_code == 200, page.title


def test_the_demo_log_ins_try_every_role(client, capsys, full_demo):
    """A newcomer logs in as the partner member and reads the area's partner-only minutes, and as the
    coordinator manages the care plaza's members; the run command prints both log-ins (the command
    is run again over the shared demo, which `load_demo_data(with_accounts=True)` loaded as the
    command does)."""
    call_command("load_demo_data", "--with-demo-accounts")
    printed = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert f"{account.email} / {account.password}" in printed
    minutes = MeetingPage.objects.get(title="今宿西エリア連携会議（第1回）")
    assert minutes.get_view_restrictions().exists()

    assert client.get(minutes.url).status_code == 302  # a visitor is sent to log in
    client.post(
        reverse("account_login"), {"login": "partner@tsunagu.example", "password": "tsunagu-demo-partner"}
    )
    page = client.get(minutes.url)
    assert page.status_code == 200 and "日曜の開催を希望する声" in page.content.decode()
    area = AreaPage.objects.get(code="area-01")
    assert client.get(f"/admin/pages/add/meetings/meetingpage/{area.pk}/").status_code == 200

    client.logout()
    coordinator = User.objects.get(email="coordinator@tsunagu.example")
    assert coordinator.check_password("tsunagu-demo-coordinator")
    log_in_with_second_factor(client, coordinator)
    care_plaza = area.partners.get(kind=PartnerOrganisation.Kind.CARE_PLAZA)
    members = client.get(reverse("areas:organisation_members", args=[care_plaza.pk]))
    assert members.status_code == 200 and "coordinator@tsunagu.example" in members.content.decode()


def test_the_demo_roster_is_filled_for_the_coordinator_and_the_network_admin(client, full_demo):
    """The demo coordinator of area-01 sees its people on the roster, not area-02's; the network
    admin sees everyone."""
    roster = reverse("signups:roster")

    log_in_with_second_factor(client, User.objects.get(email="coordinator@tsunagu.example"))
    html = client.get(roster).content.decode()
    assert "今宿 さくら" in html and "鶴ヶ峰 ゆい" in html and "白根 けんた" not in html

    client.logout()
    log_in_with_second_factor(client, User.objects.get(email="admin@tsunagu.example"))
    html = client.get(roster).content.decode()
    assert "今宿 さくら" in html and "白根 けんた" in html
