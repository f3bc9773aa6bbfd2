"""The counting rules in the evaluation document's figures (issue 26): a session counts once; a
multi-area session counts in each of its areas and once ward-wide; the fiscal year turns on
1 April in Tokyo time. And the document's page, PDF and Word file ask the database as often for
one session as for many."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from areas.models import AreaPage
from common.fiscal import fiscal_year
from coordination.activity.models import Facility, ProgrammeType, Session
from coordination.activity.records import FiscalYearStatus
from coordination.evaluation.models import EvaluationDocument, Goal
from coordination.evaluation.services import figures_draft
from coordination.meetings.models import MeetingPage

#: Far from the demo's sessions.
YEAR = 2031


@pytest.fixture
def kind(demo_site):
    """A programme type of the test's own, so that only its sessions are drafted."""
    return ProgrammeType.objects.create(name="数え方の確認講座")


def held(kind, day, *areas, facility=None):
    session = Session.objects.create(programme_type=kind, date=day, title=kind.name, facility=facility)
    session.areas.set(areas)
    return session


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (None, "数え方の確認講座 2回"),  # ward-wide: the two-area session once, the ward's session too
        (["area-01"], "数え方の確認講座 1回"),
        (["area-02"], "数え方の確認講座 1回"),
        (["area-01", "area-02"], "数え方の確認講座 1回"),  # in both, still once
        (["area-03"], ""),  # not held there; the ward-wide session belongs to no area
    ],
)
def test_the_figures_count_a_session_once_and_a_two_area_session_in_each_area(kind, codes, expected):
    held(kind, date(YEAR, 5, 10), *AreaPage.objects.filter(code__in=["area-01", "area-02"]))
    held(kind, date(YEAR, 6, 10))  # for the whole ward
    areas = None if codes is None else AreaPage.objects.filter(code__in=codes)

    assert figures_draft(programme_types=[kind], fiscal_year=YEAR, areas=areas) == expected


def test_the_figures_are_drafted_in_japanese_whatever_the_writers_language(kind):
    held(kind, date(YEAR, 5, 10))

    with translation.override("en"):
        drafted = figures_draft(programme_types=[kind], fiscal_year=YEAR)

    assert drafted == "数え方の確認講座 1回"


def test_a_meeting_late_on_31_march_in_tokyo_counts_in_the_year_that_ends_that_day(area_a, kind):
    """23:30 and 00:30 in Tokyo are 14:30 and 15:30 UTC on the same day, 31 March: the first is
    令和7年度's, the second 令和8年度's."""
    for year in (2025, 2026):  # open for entry, whatever the demo has published
        FiscalYearStatus.objects.update_or_create(fiscal_year=year, defaults={"closed": False})
    late = datetime(2026, 3, 31, 14, 30, tzinfo=UTC)  # 23:30 JST, 31 March
    early = datetime(2026, 3, 31, 15, 30, tzinfo=UTC)  # 00:30 JST, 1 April
    for slug, start in (("late", late), ("early", early)):
        meeting = MeetingPage(title=slug, slug=slug, start=start, end=start + timedelta(hours=1))
        meeting.programme_type = kind
        area_a.add_child(instance=meeting)
        meeting.save_revision().publish()

    assert [fiscal_year(late), fiscal_year(early)] == [2025, 2026]
    assert sorted(Session.objects.filter(programme_type=kind).values_list("date", flat=True)) == [
        date(2026, 3, 31),
        date(2026, 4, 1),
    ]
    # 23:30 is an evening session (夕方開催), 00:30 is not.
    for year, line in ((2025, "数え方の確認講座(夕方開催) 1回"), (2026, "数え方の確認講座 1回")):
        assert figures_draft(programme_types=[kind], fiscal_year=year) == line
        assert figures_draft(programme_types=[kind], fiscal_year=year, areas=[area_a]) == line


def _publish_drafted(document, kind):
    """Each goal's figures drafted again from the ledger, published as a new revision."""
    for goal in document.goals.all():
        goal.figures = figures_draft(programme_types=[kind], fiscal_year=YEAR)
        goal.save(update_fields=["figures"])
    document.refresh_from_db()
    document.save_revision().publish()


def _read(client):
    """{output: (queries, its text)} of the published document's page, PDF and Word file."""
    found = {}
    for name, url in (
        ("page", reverse("evaluation:detail", args=[YEAR])),
        ("pdf", reverse("evaluation:file", args=[YEAR, "pdf"])),
        ("docx", reverse("evaluation:file", args=[YEAR, "docx"])),
    ):
        caches["pages"].clear()  # each output rendered, not the page cache's copy
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        if name == "pdf":
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        elif name == "docx":
            text = "\n".join(
                cell.text
                for table in Document(io.BytesIO(response.content)).tables
                for row in table.rows
                for cell in row.cells
            )
        else:
            text = response.content.decode()
        found[name] = (len(captured), text)
    return found


def test_the_documents_outputs_ask_as_many_queries_for_many_sessions_as_for_one(client, kind):
    document = EvaluationDocument(
        fiscal_year=YEAR,
        implementers="子そだちしえん・あさひ",
        purpose="子育てを地域全体で支援する。",
        live=False,
    )
    document.goals.add(Goal(text="親子の居場所をつくる", actions="講座を開く", sort_order=0))
    document.save()
    held(kind, date(YEAR, 5, 10))
    _publish_drafted(document, kind)
    client.get(reverse("evaluation:detail", args=[YEAR]))  # caches warmed (the site, the menus)
    one = _read(client)

    areas = list(AreaPage.objects.order_by("code"))
    facilities = [Facility.objects.create(name=f"会場{n}", kind=Facility.Kind.PARK) for n in range(3)]
    for n in range(39):
        held(
            kind,
            date(YEAR, 4, 1) + timedelta(days=n * 9),
            *areas[n % 3 : n % 3 + 1 + n % 2],
            facility=facilities[n % 3],
        )
    _publish_drafted(document, kind)
    many = _read(client)

    for name in ("page", "pdf", "docx"):
        assert "数え方の確認講座 1回" in one[name][1], name
        # 40 sessions now: 39 at three parks, 13 each, and the first at no place given.
        assert "数え方の確認講座(3か所 年間各13回)" in many[name][1], name
        assert many[name][0] == one[name][0], name
