"""The hub writes a whole year's evaluation document in the admin, the ward office reviews it, and the
public reads the page, the PDF and the Word file: every block of the seed with its text, and the
figures the ledger drafts (issue 26). A draft is public by no route, and only the hub writes it."""

import io
from datetime import date, time
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from areas.models import Membership, PartnerOrganisation
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from cms.demo_evaluation import GOALS, NEXT_GOALS, SEED
from coordination.activity.models import ProgrammeType, Session
from coordination.activity.notation import seed_lines
from coordination.evaluation.models import EvaluationDocument, lines
from coordination.notifications.models import Notification

YEAR = 2025  # 令和7年度, the seed's year
ADD_URL = "wagtailsnippets_evaluation_evaluationdocument:add"
EDIT_URL = "wagtailsnippets_evaluation_evaluationdocument:edit"
ACTION_URL = "wagtailsnippets_evaluation_evaluationdocument:workflow_action"
#: A participant's name written into a session's note: it must appear in no output.
PRIVATE_NOTE = "山田花子さん（090-1234-5678）が初参加"


@pytest.fixture
def ledger(demo_site, area_a):
    """The year's sessions, as the ledger holds them: in the fiscal year (past-dated too), one
    in an area, and one just after the year ends, which counts for the next."""
    types = {t.code: t for t in ProgrammeType.objects.filter(code__isnull=False)}
    for month in (4, 6, 9, 12, 1, 3):
        year = YEAR if month >= 4 else YEAR + 1
        Session.objects.create(
            programme_type=types["course"],
            date=date(year, month, 14),
            start_time=time(10),
            title="ぷれパパぷれママ講座",
        )
    outreach = Session.objects.create(
        programme_type=types["outreach_playroom"],
        date=date(YEAR, 7, 2),
        title="出張ひろば",
        note=PRIVATE_NOTE,
    )
    outreach.areas.add(area_a)
    Session.objects.create(
        programme_type=types["course"], date=date(YEAR + 1, 4, 1), title="ぷれパパぷれママ講座"
    )
    return types


@pytest.fixture
def hub_admin(demo_site):
    hub = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.SUPPORT_HUB)
    return MembershipFactory(organisation=hub, role=Membership.Role.NETWORK_ADMIN).user


@pytest.fixture
def ward_reviewer(demo_site):
    ward = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.WARD_OFFICE)
    return MembershipFactory(organisation=ward, role=Membership.Role.MEMBER).user


def _goal_types(ledger, codes):
    return [ledger[code] for code in codes if code in ledger]


def _form(ledger, document=None, **changes):
    """The admin form with the seed's texts. For a saved document, its goals keep their ids and
    their drafted figures, to which the staff add the lines the ledger cannot count."""
    saved = list(document.goals.all()) if document else []
    goals = []
    for index, (text, actions, codes, uncounted) in enumerate(GOALS):
        figures = [*(lines(saved[index].figures) if saved and codes else []), *uncounted]
        goal = {
            "text": text,
            "actions": "\n".join(actions),
            "figures": "\n".join(figures) if figures and (saved or not codes) else "",
        }
        if saved:
            goal["id"] = str(saved[index].pk)
        goals.append(goal)
    next_goals = [{"text": t, "actions": "\n".join(a)} for t, a in NEXT_GOALS]
    if document:
        for item, saved_next in zip(next_goals, document.next_goals.all(), strict=True):
            item["id"] = str(saved_next.pk)
    data = nested_form_data(
        {
            **{key: str(value) for key, value in SEED.items()},
            "fiscal_year": str(YEAR),
            "goals": inline_formset(goals, initial=len(saved)),
            "next_goals": inline_formset(next_goals, initial=len(saved)),
            **changes,
        }
    )
    for index, (_text, _actions, codes, _uncounted) in enumerate(GOALS):
        data[f"goals-{index}-programme_types"] = [t.pk for t in _goal_types(ledger, codes)]
    return data


def _seed_texts() -> list[str]:
    """Every text of the seed that the document must show, item by item."""
    texts = [SEED["purpose"], SEED["programme_name"]]
    for key in ("implementers", "principles", "projects", "evaluation_method", "outcomes", "issues"):
        texts += lines(SEED[key])
    for text, actions, _codes, uncounted in GOALS:
        texts += [text, *actions, *uncounted]
    for text, actions in NEXT_GOALS:
        texts += [text, *actions]
    return texts


LABELS = [
    "事業実施期間",
    "令和7年4月1日～令和8年3月31日(2年度目/5か年度)",
    "事業の実施者",
    "事業目的",
    "【事業・施設運営の基本理念】",
    "事業の内容",
    "事業の評価実施方法及び評価結果の公表方法",
    "令和7年度重点目標の評価",
    "令和7年度重点目標",
    "取組内容",
    "取組の成果",
    "取組の課題",
    "次年度重点目標",
    "令和8年度 重点目標",
]


def _file_name(response) -> str:
    return unquote(response["Content-Disposition"].split("filename*=utf-8''")[1])


def _squash(text: str) -> str:
    """Text as compared across outputs: without the line breaks and spaces a PDF's layout adds."""
    return "".join(text.split())


def _pdf_text(content: bytes) -> str:
    return _squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def _embedded_fonts(reader) -> dict[str, bool]:
    """Each font the PDF uses, and whether its glyphs are in the file."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font.get("/DescendantFonts") or [font])[0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


def _docx_text(content: bytes) -> str:
    word = Document(io.BytesIO(content))
    cells = [
        p.text for table in word.tables for row in table.rows for cell in row.cells for p in cell.paragraphs
    ]
    return _squash("".join([p.text for p in word.paragraphs] + cells))


@pytest.mark.django_db
def test_the_hub_writes_the_year_the_ward_office_approves_and_the_public_reads_every_block(
    client, ledger, hub_admin, ward_reviewer
):
    log_in_with_second_factor(client, hub_admin)
    response = client.post(reverse(ADD_URL), _form(ledger))
    assert response.status_code == 302, response.content.decode()[-3000:]
    document = EvaluationDocument.objects.get(fiscal_year=YEAR)
    assert not document.live

    # The figures were drafted from the ledger: what seed_lines says for each goal's types.
    expected = {
        index: seed_lines(_goal_types(ledger, codes), YEAR) for index, (_t, _a, codes, _u) in enumerate(GOALS)
    }
    assert expected[0] == ["講座（ぷれパパぷれママ講座など） 6回"]  # the ledger's, not the year after
    drafted = [lines(goal.figures) for goal in document.goals.all()]
    assert drafted[0] == expected[0] and drafted[1] == expected[1]

    # The staff add what the ledger cannot count under the drafted figures, and submit it for the
    # ward office's review: nothing is public yet.
    form = {**_form(ledger, document), "action-submit": "submit"}
    response = client.post(reverse(EDIT_URL, args=[document.pk]), form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    document.refresh_from_db()
    assert document.workflow_in_progress and not document.live
    assert [lines(goal.figures)[: len(expected[i])] for i, goal in enumerate(document.goals.all())] == list(
        expected.values()
    )
    # The ward office is told that it waits for them.
    ward = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.WARD_OFFICE)
    told = Notification.objects.get(audience="organisation", organisation=ward)
    assert told.url == reverse("evaluation:review", args=[YEAR]) and "令和7年度" in told.title
    client.logout()
    assert client.get(reverse("evaluation:detail", args=[YEAR])).status_code == 404

    # The ward office finds it on its dashboard and in the list, reads the draft and approves it.
    client.force_login(ward_reviewer)
    review_url = reverse("evaluation:review", args=[YEAR])
    assert review_url in client.get(reverse("dashboard")).content.decode()
    assert review_url in client.get(reverse("evaluation:list")).content.decode()
    review = client.get(reverse("evaluation:review", args=[YEAR]))
    assert review.status_code == 200 and SEED["purpose"] in review.content.decode()
    # Wagtail's editor does not open for the reviewer: what they post changes nothing.
    edit = reverse(EDIT_URL, args=[document.pk])
    assert client.get(edit).status_code == 302
    client.post(edit, _form(ledger, document, issues="区役所が書き換えた課題"))
    assert (
        "区役所が書き換えた課題"
        not in EvaluationDocument.objects.get(pk=document.pk).latest_revision.content["issues"]
    )
    task_state = document.current_workflow_task_state
    response = client.post(
        reverse(ACTION_URL, args=[document.pk, "approve", task_state.pk]), {"comment": "確認しました。"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.live and not document.workflow_in_progress
    assert document.revisions.count() >= 2  # each save kept: the first draft, the one submitted
    client.logout()

    # The public reads it: the page, the PDF and the Word file, every block and every figure.
    page = client.get(reverse("evaluation:detail", args=[YEAR]))
    assert page.status_code == 200
    pdf = client.get(reverse("evaluation:file", args=[YEAR, "pdf"]))
    docx = client.get(reverse("evaluation:file", args=[YEAR, "docx"]))
    assert pdf["Content-Type"] == "application/pdf"
    # The file names say the year and the scope (RFC 6266's filename*, as browsers read it).
    assert _file_name(pdf) == "令和7年度_旭区地域子育て支援拠点事業_重点目標評価結果_旭区全体.pdf"
    assert _file_name(docx) == "令和7年度_旭区地域子育て支援拠点事業_重点目標評価結果_旭区全体.docx"
    outputs = {
        "page": _squash(page.content.decode()),
        "pdf": _pdf_text(pdf.content),
        "docx": _docx_text(docx.content),
    }
    figures = [line for goal_lines in expected.values() for line in goal_lines]
    assert figures
    for name, text in outputs.items():
        missing = [item for item in [*LABELS, *_seed_texts(), *figures] if _squash(item) not in text]
        assert not missing, (name, missing)
        assert (
            _squash(PRIVATE_NOTE) not in text
            and ward_reviewer.email not in text
            and hub_admin.email not in text
        )
    assert "旭区地域子育て支援拠点事業令和7年度重点目標評価結果・令和8年度重点目標" in outputs["pdf"]
    # A4 both, the PDF's Japanese font embedded, the blocks in a label column and a content column.
    reader = PdfReader(io.BytesIO(pdf.content))
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]
    assert _embedded_fonts(reader) and all(_embedded_fonts(reader).values()), _embedded_fonts(reader)
    word = Document(io.BytesIO(docx.content))
    assert (round(word.sections[0].page_width.mm), round(word.sections[0].page_height.mm)) == (210, 297)
    labels = [row.cells[0].text for table in word.tables for row in table.rows]
    assert labels[:2] == ["事業実施期間", "事業の実施者"] and "取組の成果" in labels


@pytest.mark.django_db
def test_a_draft_is_public_by_no_route(client, ledger, hub_admin):
    log_in_with_second_factor(client, hub_admin)
    secret = "下書きだけにある取組の課題"
    assert client.post(reverse(ADD_URL), _form(ledger, issues=secret)).status_code == 302
    client.logout()
    for url in (
        reverse("evaluation:detail", args=[YEAR]),
        reverse("evaluation:file", args=[YEAR, "pdf"]),
        reverse("evaluation:file", args=[YEAR, "docx"]),
    ):
        assert client.get(url).status_code == 404, url
    review = client.get(reverse("evaluation:review", args=[YEAR]))
    assert review.status_code == 302 and secret not in review.content.decode()
    for url in (reverse("evaluation:list"), "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200 and secret not in response.content.decode(), url
    # The search form repeats the words asked for, and finds nothing of the draft.
    found = client.get(reverse("search"), {"q": secret}).content.decode()
    assert "search-results" not in found and "/evaluation/" not in found


@pytest.mark.django_db
def test_a_published_document_shows_its_published_text_while_a_new_draft_waits(client, ledger, hub_admin):
    log_in_with_second_factor(client, hub_admin)
    client.post(reverse(ADD_URL), _form(ledger))
    document = EvaluationDocument.objects.get(fiscal_year=YEAR)
    document.get_latest_revision().publish()
    draft = "公開後に書き直している課題"
    assert (
        client.post(reverse(EDIT_URL, args=[document.pk]), _form(ledger, document, issues=draft)).status_code
        == 302
    )
    client.logout()
    page = client.get(reverse("evaluation:detail", args=[YEAR])).content.decode()
    assert lines(SEED["issues"])[0] in page and draft not in page


@pytest.mark.django_db
def test_coordinators_partners_and_reviewers_cannot_write_it(
    client, ledger, hub_admin, ward_reviewer, area_a
):
    log_in_with_second_factor(client, hub_admin)
    client.post(reverse(ADD_URL), _form(ledger))
    document = EvaluationDocument.objects.get(fiscal_year=YEAR)
    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    for person in (coordinator_of(area_a), partner, ward_reviewer):
        client.logout()
        log_in_with_second_factor(client, person)
        edit = reverse(EDIT_URL, args=[document.pk])
        assert client.get(edit).status_code in (302, 403)
        client.post(edit, _form(ledger, issues="書き換え"))
        assert client.post(reverse(ADD_URL), _form(ledger, fiscal_year="2030")).status_code in (302, 403)
        assert client.post(reverse("evaluation:start_next_year", args=[YEAR])).status_code == 403
    document.refresh_from_db()
    assert "書き換え" not in document.get_latest_revision_as_object().issues
    assert not EvaluationDocument.objects.filter(fiscal_year__in=(2030, YEAR + 1)).exists()
    # A coordinator reads no draft either.
    client.logout()
    log_in_with_second_factor(client, coordinator_of(area_a))
    assert client.get(reverse("evaluation:review", args=[YEAR])).status_code == 403


@pytest.mark.django_db
def test_the_hub_cannot_publish_without_the_ward_office(client, ledger, hub_admin):
    log_in_with_second_factor(client, hub_admin)
    client.post(reverse(ADD_URL), _form(ledger, **{"action-publish": "publish"}))
    document = EvaluationDocument.objects.get(fiscal_year=YEAR)
    client.post(
        reverse(EDIT_URL, args=[document.pk]), {**_form(ledger, document), "action-publish": "publish"}
    )
    submitted = client.post(
        reverse(EDIT_URL, args=[document.pk]), {**_form(ledger, document), "action-submit": "submit"}
    )
    assert submitted.status_code == 302
    document.refresh_from_db()
    task_state = document.current_workflow_task_state
    response = client.post(reverse(ACTION_URL, args=[document.pk, "approve", task_state.pk]), {"comment": ""})
    assert response.status_code in (302, 403) and response.get("Location") != reverse(
        EDIT_URL, args=[document.pk]
    )
    document.refresh_from_db()
    assert not document.live


@pytest.mark.django_db
def test_a_new_year_starts_from_last_years_text(client, ledger, hub_admin):
    log_in_with_second_factor(client, hub_admin)
    client.post(reverse(ADD_URL), _form(ledger))
    start = reverse("evaluation:start_next_year", args=[YEAR])
    assert start not in client.get(reverse("dashboard")).content.decode()  # not before it is published
    EvaluationDocument.objects.get(fiscal_year=YEAR).get_latest_revision().publish()
    assert f'action="{start}"' in client.get(reverse("dashboard")).content.decode()
    response = client.post(start)
    new = EvaluationDocument.objects.get(fiscal_year=YEAR + 1)
    assert response.status_code == 302 and response["Location"] == reverse(EDIT_URL, args=[new.pk])
    assert not new.live and new.contract_year == SEED["contract_year"] + 1
    assert new.purpose == SEED["purpose"] and new.projects == SEED["projects"]
    assert [goal.text for goal in new.goals.all()] == [text for text, _actions in NEXT_GOALS]
    assert new.outcomes == "" and new.issues == ""
    editor = client.get(reverse(EDIT_URL, args=[new.pk]))
    assert editor.status_code == 200 and NEXT_GOALS[0][1][0] in editor.content.decode()


@pytest.mark.django_db
def test_the_ward_office_asks_for_changes_and_the_hub_edits_and_submits_again(
    client, ledger, hub_admin, ward_reviewer
):
    log_in_with_second_factor(client, hub_admin)
    client.post(reverse(ADD_URL), _form(ledger))
    document = EvaluationDocument.objects.get(fiscal_year=YEAR)
    client.post(reverse(EDIT_URL, args=[document.pk]), {**_form(ledger, document), "action-submit": "submit"})
    client.logout()

    client.force_login(ward_reviewer)
    task_state = EvaluationDocument.objects.get(pk=document.pk).current_workflow_task_state
    asked = "取組の課題に人材配置の検討を加えてください。"
    response = client.post(
        reverse(ACTION_URL, args=[document.pk, "reject", task_state.pk]), {"comment": asked}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert not document.live and not document.workflow_in_progress
    client.logout()

    log_in_with_second_factor(client, hub_admin)
    editor = client.get(reverse(EDIT_URL, args=[document.pk])).content.decode()
    assert asked in editor  # the ward office's comment is shown to the hub
    changed = "人材配置に関する熟慮が必要。"
    form = {**_form(ledger, document, issues=changed), "action-submit": "submit"}
    assert client.post(reverse(EDIT_URL, args=[document.pk]), form).status_code == 302
    document.refresh_from_db()
    assert document.workflow_in_progress
    assert document.get_latest_revision_as_object().issues == changed


@pytest.mark.django_db
def test_a_second_document_for_the_same_year_is_refused_in_japanese_and_nothing_typed_is_lost(
    client, ledger, hub_admin
):
    log_in_with_second_factor(client, hub_admin)
    client.post(reverse(ADD_URL), _form(ledger))
    typed = "二つ目の文書に書いた課題"

    response = client.post(reverse(ADD_URL), _form(ledger, issues=typed))

    html = response.content.decode()
    assert response.status_code == 200
    assert "既に存在します" in html and typed in html
    assert EvaluationDocument.objects.count() == 1
