"""A meeting as PDF and an area's action items as CSV: the Japanese survives, the privacy holds."""

import csv
import io
from datetime import date, datetime, timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from wagtail.rich_text import RichText

from areas.models import Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from coordination.meetings.exports import minutes_parts
from coordination.meetings.models import ActionItem, MeetingPage

pytestmark = pytest.mark.django_db

TITLE = "今宿西エリア連携会議"


@pytest.fixture
def owner(area_a):
    return OrganisationFactory(name="ひまわり子育てサロン", areas=[area_a])


def _meeting(parent, owner, *, slug="m1", title=TITLE, publish=True, minutes=None, items=None):
    start = timezone.make_aware(datetime(2026, 7, 1, 10, 0))
    meeting = MeetingPage(
        title=title,
        slug=slug,
        live=publish,
        start=start,
        end=start + timedelta(hours=2),
        place="今宿西地域ケアプラザ",
        agenda="<p>夏の催しについて</p>",
        decisions="<p>夏祭りに出張ひろばを出す</p>",
        minutes=minutes if minutes is not None else [("paragraph", RichText("<p>各団体から近況を報告</p>"))],
    )
    meeting.action_items = items or [
        ActionItem(description="チラシを作る", owner=owner, due=date(2026, 7, 15)),
    ]
    parent.add_child(instance=meeting)
    revision = meeting.save_revision()
    if publish:
        revision.publish()
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def meeting(area_a, owner):
    meeting = _meeting(area_a, owner)
    meeting.invited_organisations.add(owner)
    meeting.attending_organisations.add(owner)
    meeting.save()
    return meeting


@pytest.fixture
def network_admin(area_b):
    hub = OrganisationFactory(name="旭区こども家庭支援課テスト", areas=[area_b])
    return MembershipFactory(organisation=hub, role=Membership.Role.NETWORK_ADMIN).user


def _pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages)


# ---------------------------------------------------------------------------
# The PDF


def test_partner_downloads_the_meeting_as_a_japanese_pdf(client, partner_a, meeting):
    log_in_with_second_factor(client, partner_a)
    response = client.get(reverse("meetings:pdf", args=[meeting.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(TITLE + '.pdf')}" in disposition
    assert 'filename="meeting-2026-07-01.pdf"' in disposition
    assert "no-store" in response["Cache-Control"]

    text = _pdf_text(response.content)
    for expected in (
        TITLE,
        "2026年7月1日（水）10:00〜12:00",
        "今宿西地域ケアプラザ",
        "ひまわり子育てサロン",
        "夏の催しについて",
        "各団体から近況を報告",
        "夏祭りに出張ひろばを出す",
        "チラシを作る",
        "2026年7月15日（水）",
    ):
        assert expected in text.replace("\n", "")  # a narrow cell wraps the date


def test_the_meeting_page_links_to_its_pdf(client, partner_a, meeting):
    log_in_with_second_factor(client, partner_a)
    response = client.get(meeting.url)

    assert response.status_code == 200
    assert reverse("meetings:pdf", args=[meeting.pk]) in response.content.decode()


def test_minutes_blocks_are_flattened_to_text(area_a, owner):
    meeting = _meeting(
        area_a,
        owner,
        minutes=[
            {"type": "heading", "value": {"text": "各団体からの報告", "level": "h2"}},
            {
                "type": "paragraph",
                "value": "<p>子育て広場の<b>参加者</b>が増えた</p><ul><li>春</li><li>夏</li></ul>",
            },
            {"type": "report", "value": {"organisation": owner.pk, "report": "七夕の会を開きます"}},
            {
                "type": "table",
                "value": {
                    "caption": "参加者数",
                    "columns": [{"type": "text", "heading": "月"}, {"type": "number", "heading": "人数"}],
                    "rows": [{"values": ["6月", "12"]}],
                },
            },
        ],
    )

    assert minutes_parts(meeting.minutes) == [
        ("heading", "各団体からの報告"),
        ("text", "子育て広場の参加者が増えた"),
        ("text", "・春"),
        ("text", "・夏"),
        ("text", "ひまわり子育てサロン：七夕の会を開きます"),
        ("text", "参加者数"),
        ("table", [["月", "人数"], ["6月", "12"]]),
    ]


def test_pdf_holds_flattened_minutes(client, partner_a, area_a, owner):
    meeting = _meeting(
        area_a,
        owner,
        minutes=[
            {"type": "heading", "value": {"text": "各団体からの報告", "level": "h2"}},
            {"type": "report", "value": {"organisation": owner.pk, "report": "七夕の会を開きます"}},
            {
                "type": "table",
                "value": {
                    "caption": "",
                    "columns": [{"type": "text", "heading": "月"}, {"type": "text", "heading": "催し"}],
                    "rows": [{"values": ["6月", "親子ヨガ"]}],
                },
            },
        ],
    )
    log_in_with_second_factor(client, partner_a)
    text = _pdf_text(client.get(reverse("meetings:pdf", args=[meeting.pk])).content)

    for expected in ("各団体からの報告", "ひまわり子育てサロン：七夕の会を開きます", "親子ヨガ"):
        assert expected in text


def test_pdf_is_refused_to_anonymous_visitors_with_a_login_redirect(client, meeting):
    url = reverse("meetings:pdf", args=[meeting.pk])
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(url)}"


def test_pdf_is_forbidden_to_a_partner_of_another_area(client, partner_b, meeting):
    log_in_with_second_factor(client, partner_b)

    assert client.get(reverse("meetings:pdf", args=[meeting.pk])).status_code == 403


def test_pdf_of_a_draft_is_not_found(client, partner_a, area_a, owner):
    draft = _meeting(area_a, owner, slug="draft", publish=False)
    log_in_with_second_factor(client, partner_a)

    assert client.get(reverse("meetings:pdf", args=[draft.pk])).status_code == 404


def test_pdf_of_a_public_meeting_is_open_to_everyone(client, meeting):
    meeting.visibility = "public"
    meeting.save_revision().publish()

    assert client.get(reverse("meetings:pdf", args=[meeting.pk])).status_code == 200


def test_network_admin_downloads_the_pdf(client, network_admin, meeting):
    log_in_with_second_factor(client, network_admin)

    response = client.get(reverse("meetings:pdf", args=[meeting.pk]))

    assert response.status_code == 200
    assert TITLE in _pdf_text(response.content)


# ---------------------------------------------------------------------------
# The CSV


def _csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_partner_downloads_the_areas_action_items_as_csv(client, partner_a, area_a, owner, meeting):
    later = _meeting(
        area_a,
        owner,
        slug="m2",
        title="今宿西エリア連携会議（第2回）",
        items=[
            ActionItem(
                description="=回覧板に入れる",
                owner=owner,
                due=date(2026, 8, 1),
                status=ActionItem.Status.IN_PROGRESS,
            )
        ],
    )
    later.start += timedelta(days=30)
    later.end += timedelta(days=30)
    later.save_revision().publish()
    _meeting(area_a, owner, slug="draft", title="下書きの会議", publish=False)
    log_in_with_second_factor(client, partner_a)

    response = client.get(reverse("meetings:area_action_items_csv", args=[area_a.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="action-items-{area_a.code}.csv"'
    header, *rows = _csv_rows(response)
    assert len(header) == 6
    with translation.override("ja"):
        open_, in_progress = str(ActionItem.Status.OPEN.label), str(ActionItem.Status.IN_PROGRESS.label)
    assert rows == [
        [TITLE, "2026-07-01", "チラシを作る", "ひまわり子育てサロン", "2026-07-15", open_],
        # A cell that a spreadsheet would take for a formula is kept as text.
        [
            "今宿西エリア連携会議（第2回）",
            "2026-07-31",
            "'=回覧板に入れる",
            "ひまわり子育てサロン",
            "2026-08-01",
            in_progress,
        ],
    ]


def test_csv_leaves_out_other_areas_meetings(client, partner_a, area_a, area_b, owner, meeting):
    _meeting(
        area_b,
        owner,
        slug="shirane",
        title="白根エリア連携会議",
        items=[ActionItem(description="白根の宿題", owner=owner, due=date(2026, 7, 20))],
    )
    log_in_with_second_factor(client, partner_a)

    rows = _csv_rows(client.get(reverse("meetings:area_action_items_csv", args=[area_a.code])))[1:]

    assert [row[2] for row in rows] == ["チラシを作る"]


def test_csv_is_refused_to_anonymous_visitors_with_a_login_redirect(client, area_a, meeting):
    url = reverse("meetings:area_action_items_csv", args=[area_a.code])
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(url)}"


def test_csv_is_forbidden_to_a_partner_of_another_area(client, partner_b, area_a, meeting):
    log_in_with_second_factor(client, partner_b)

    assert client.get(reverse("meetings:area_action_items_csv", args=[area_a.code])).status_code == 403


def test_csv_of_an_unknown_area_is_not_found(client, partner_a):
    log_in_with_second_factor(client, partner_a)

    assert client.get(reverse("meetings:area_action_items_csv", args=["area-99"])).status_code == 404


def test_network_admin_downloads_the_csv(client, network_admin, area_a, meeting):
    log_in_with_second_factor(client, network_admin)

    response = client.get(reverse("meetings:area_action_items_csv", args=[area_a.code]))

    assert response.status_code == 200
    assert [row[2] for row in _csv_rows(response)[1:]] == ["チラシを作る"]


def test_the_area_page_links_the_csv_for_its_partners_only(client, area_a, area_b):
    from areas.tests.factories import MembershipFactory, OrganisationFactory

    link = f'href="/meetings/areas/{area_a.code}/action-items.csv"'
    assert link not in client.get(area_a.url).content.decode()
    log_in_with_second_factor(
        client, MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user
    )
    assert link not in client.get(area_a.url).content.decode()
    log_in_with_second_factor(
        client, MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    )
    assert link in client.get(area_a.url).content.decode()
