"""The evaluation document on the site: the published ones for everyone (page, PDF, Word), the
latest draft for its writers and the ward office's reviewers, and the action that starts a year."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from areas.access import (
    may_edit_evaluation,
    may_read_evaluation_draft,
    may_review_evaluation,
    second_factor_required,
)
from coordination.evaluation import outputs
from coordination.evaluation.document import document_layout, file_name
from coordination.evaluation.models import EvaluationDocument
from coordination.evaluation.selectors import (
    all_documents,
    latest_version,
    published_document,
    published_documents,
)
from coordination.evaluation.services import document_start_next_year

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _published(fiscal_year):
    document = published_document(fiscal_year)
    if document is None:
        raise Http404
    return document


@require_safe
def document_list(request):
    """The published documents; for their writers and reviewers, the drafts too, to review."""
    drafts = []
    if may_read_evaluation_draft(request.user):
        drafts = [d for d in all_documents() if not d.live or d.has_unpublished_changes]
    return render(request, "evaluation/list.html", {"documents": published_documents(), "drafts": drafts})


@require_safe
def document_detail(request, fiscal_year):
    """The published version, and nothing else, whoever asks (公表)."""
    document = _published(fiscal_year)
    context = {"document": document, "layout": document_layout(document), "published": True}
    return render(request, "evaluation/detail.html", context)


@require_safe
def document_file(request, fiscal_year, kind):
    document = _published(fiscal_year)
    layout = document_layout(document)
    if kind == "pdf":
        content, content_type = outputs.document_pdf(layout), "application/pdf"
    else:
        content, content_type = outputs.document_docx(layout), DOCX
    response = HttpResponse(content, content_type=content_type)
    # A Japanese file name, as browsers read it (RFC 6266: filename*=UTF-8''…).
    response.headers["Content-Disposition"] = content_disposition_header(True, file_name(document, kind))
    return response


@require_safe
@never_cache
@second_factor_required
def document_review(request, fiscal_year):
    """The latest version, draft included, for its writers and reviewers, with the review's
    actions for the ward office while it waits for them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_read_evaluation_draft(request.user):
        raise PermissionDenied
    document = get_object_or_404(EvaluationDocument, fiscal_year=fiscal_year)
    version = latest_version(document)
    task_state = document.current_workflow_task_state
    context = {
        "document": document,
        "layout": document_layout(version),
        "published": False,
        "task_state": task_state if task_state and may_review_evaluation(request.user) else None,
        "may_edit": may_edit_evaluation(request.user),
    }
    return render(request, "evaluation/review.html", context)


@require_POST
@second_factor_required
def start_next_year(request, fiscal_year):
    """Next year's draft, started from this year's text; then its editor."""
    if not may_edit_evaluation(request.user):
        raise PermissionDenied
    document = get_object_or_404(EvaluationDocument, fiscal_year=fiscal_year)
    new = document_start_next_year(document=document, user=request.user)
    return redirect(reverse("wagtailsnippets_evaluation_evaluationdocument:edit", args=[new.pk]))
