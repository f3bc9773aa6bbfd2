"""The evaluation document in the admin (network admins write it, nobody publishes it without the
ward office's review), in the admin menu for everyone who reads it, and on the dashboard."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy, pgettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from areas.access import is_privileged, may_edit_evaluation, may_read_evaluation_draft, may_review_evaluation
from areas.sections import DASHBOARD_SECTIONS, Section
from coordination.evaluation.forms import EvaluationDocumentForm
from coordination.evaluation.models import EvaluationDocument
from coordination.evaluation.selectors import all_documents

#: What the hub's network admins may do in the admin; publishing is the review's to do.
WRITING = ("add", "change", "delete", "view")


class WrittenByNetworkAdmins(ModelPermissionPolicy):
    """Network admins write, keep and delete documents; nobody publishes or unpublishes one
    directly, so a document becomes public only through the ward office's approval."""

    def user_has_permission(self, user, action):
        return action in WRITING and may_edit_evaluation(user)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).none()


class EvaluationDocumentViewSet(SnippetViewSet):
    model = EvaluationDocument
    icon = "doc-full"
    menu_label = gettext_lazy("Evaluation documents")
    menu_name = "evaluation-documents"
    menu_order = 252
    add_to_admin_menu = True
    list_display = ["title", "fiscal_year"]
    copy_view_enabled = False
    edit_handler = ObjectList(EvaluationDocument.panels, base_form_class=EvaluationDocumentForm)


register_permission_policy(EvaluationDocument, WrittenByNetworkAdmins(EvaluationDocument))


register_snippet(EvaluationDocumentViewSet)


class DocumentsMenuItem(MenuItem):
    """The published documents (and the review page) for the other privileged readers and the
    ward office's reviewers; network admins have the admin's own menu item."""

    def is_shown(self, request):
        user = request.user
        return not may_edit_evaluation(user) and (is_privileged(user) or may_review_evaluation(user))


@hooks.register("register_admin_menu_item")
def register_documents_menu_item():
    url = reverse_lazy("evaluation:list")
    return DocumentsMenuItem(
        gettext_lazy("Evaluation document"), url, name="evaluation-document", icon_name="doc-full", order=253
    )


def _status(document) -> str:
    if document.workflow_in_progress:
        return pgettext("evaluation document", "Waiting for the ward office's review")
    if document.live and document.has_unpublished_changes:
        return pgettext("evaluation document", "Published, with a draft in progress")
    if document.live:
        return pgettext("evaluation document", "Published")
    return pgettext("evaluation document", "Draft")


@hooks.register(DASHBOARD_SECTIONS)
def evaluation_documents(request):
    """Every privileged person and the ward office's reviewers: the documents they may read."""
    user = request.user
    reads_drafts = may_read_evaluation_draft(user)
    if not (reads_drafts or is_privileged(user)):
        return None
    documents = list(all_documents() if reads_drafts else all_documents().filter(live=True))
    may_edit = may_edit_evaluation(user)
    items = [{"document": d, "status": _status(d), "may_read_draft": reads_drafts} for d in documents]
    # The next year starts from the latest published one, once it exists no further.
    latest = documents[0] if documents and documents[0].live else None
    context = {"documents": items, "may_edit": may_edit, "start_from": latest}
    return Section("evaluation/dashboard_section.html", context, order=4)
