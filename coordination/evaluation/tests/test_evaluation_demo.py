"""The demo holds last year's evaluation document, complete and published, and this year's draft
started from it; every privileged person reaches the documents from their dashboard and the admin
menu (issue 26)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import log_in_with_second_factor
from cms.demo import load_demo_data
from cms.demo_evaluation import GOALS, NEXT_GOALS, SEED
from cms.models import User
from common.fiscal import fiscal_year
from coordination.activity.models import ProgrammeType
from coordination.activity.notation import seed_lines
from coordination.activity.report import information_rows, targets_progress
from coordination.activity.tests.test_report_links import _menu_links
from coordination.evaluation.models import EvaluationDocument, lines

pytestmark = pytest.mark.django_db


def _last_year():
    return fiscal_year(timezone.localdate()) - 1


def test_last_years_document_is_published_with_the_seeds_texts_and_the_ledgers_figures(client, full_demo):
    load_demo_data(with_accounts=True)  # loading again adds nothing
    year = _last_year()
    assert EvaluationDocument.objects.count() == 2
    published = EvaluationDocument.objects.get(fiscal_year=year)
    assert published.live and not published.has_unpublished_changes
    assert published.workflow_states.get().status == "approved"

    page = client.get(reverse("evaluation:detail", args=[year])).content.decode()

    for text in [SEED["purpose"], *lines(SEED["projects"]), *lines(SEED["issues"]), *lines(SEED["outcomes"])]:
        assert text in page
    types = {t.code: t for t in ProgrammeType.objects.filter(code__isnull=False)}
    for goal, (text, _actions, codes, _uncounted) in zip(published.goals.all(), GOALS, strict=True):
        drafted = seed_lines([types[code] for code in codes], year)
        assert goal.text == text and lines(goal.figures)[: len(drafted)] == drafted
        assert all(line in page for line in drafted)
    assert "出張ひろば" in page  # the demo ledger's 36 outreach sessions are counted
    # ②'s targets (目標値) with their actuals and notes, ③'s information work as the ledger counts it.
    measured = published.goals.all()[1].targets.all()
    assert measured and all(
        f"目標：{found.label} {found.target}(実績 {found.actual}" in page
        for found in targets_progress(year, measured)
    )
    information = [f"{row.kind}：{row.count}" for row in information_rows(year) if row.count]
    assert information and all(line in page for line in information)


def test_this_years_draft_starts_from_last_years_next_goals_and_is_not_public(client, full_demo):
    year = _last_year() + 1
    draft = EvaluationDocument.objects.get(fiscal_year=year)

    assert not draft.live
    assert [goal.text for goal in draft.goals.all()] == [text for text, _actions in NEXT_GOALS]
    assert draft.contract_year == SEED["contract_year"] + 1
    assert client.get(reverse("evaluation:detail", args=[year])).status_code == 404
    assert draft.title not in client.get(reverse("evaluation:list")).content.decode()


def test_the_hubs_admin_reaches_both_years_from_the_dashboard_and_the_admin_menu(client, full_demo):
    admin = User.objects.get(email="admin@tsunagu.example")
    log_in_with_second_factor(client, admin)
    year = _last_year()
    draft = EvaluationDocument.objects.get(fiscal_year=year + 1)

    dashboard = client.get(reverse("dashboard")).content.decode()

    assert reverse("evaluation:review", args=[year + 1]) in dashboard
    assert reverse("evaluation:detail", args=[year]) in dashboard
    edit = reverse("wagtailsnippets_evaluation_evaluationdocument:edit", args=[draft.pk])
    assert edit in dashboard and client.get(edit).status_code == 200
    review = client.get(reverse("evaluation:review", args=[year + 1])).content.decode()
    assert NEXT_GOALS[0][1][0] in review
    menu = _menu_links(client.get(reverse("wagtailadmin_home")).content.decode())
    listing = reverse("wagtailsnippets_evaluation_evaluationdocument:list")
    assert {"label": "評価の文書", "url": listing} in menu


def test_a_coordinator_reaches_the_published_document_and_no_draft(client, full_demo):
    coordinator = User.objects.get(email="coordinator@tsunagu.example")
    log_in_with_second_factor(client, coordinator)
    year = _last_year()

    dashboard = client.get(reverse("dashboard")).content.decode()

    assert reverse("evaluation:detail", args=[year]) in dashboard
    assert reverse("evaluation:review", args=[year + 1]) not in dashboard
    assert "wagtailsnippets" not in dashboard and "/admin/snippets/evaluation/" not in dashboard
    menu = _menu_links(client.get(reverse("wagtailadmin_home")).content.decode())
    assert {"label": "評価の文書", "url": reverse("evaluation:list")} in menu
    assert client.get(reverse("evaluation:list")).status_code == 200


def test_a_plain_partner_sees_no_evaluation_section(client, full_demo):
    client.force_login(User.objects.get(email="partner@tsunagu.example"))

    dashboard = client.get(reverse("dashboard")).content.decode()

    assert "evaluation-document-heading" not in dashboard
