from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from areas.access import is_network_admin, pages_visible_in_admin
from areas.models import PartnerOrganisation


class PartnerOrganisationViewSet(SnippetViewSet):
    model = PartnerOrganisation
    icon = "group"
    menu_label = _("Partners")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "kind"]
    list_filter = ["kind", "areas"]
    search_fields = ["name"]


register_snippet(PartnerOrganisationViewSet)


@hooks.register("register_log_actions")
def register_membership_actions(actions):
    """Labels for the audit log's membership entries (who, what, when)."""
    actions.register_action("tsunagu.invitation.send", _("Send invitation"), _("Invitation sent"))
    actions.register_action("tsunagu.membership.join", _("Join organisation"), _("Joined the organisation"))
    actions.register_action("tsunagu.membership.change_role", _("Change role"), _("Role changed"))
    actions.register_action("tsunagu.membership.remove", _("Remove member"), _("Member removed"))
    actions.register_action("tsunagu.membership.leave", _("Leave organisation"), _("Left the organisation"))


# In the admin a person meets only the pages they may see (`areas.access.pages_visible_in_admin`); the views
# that name a page by its address are guarded in areas/admin_entry.py.


@hooks.register("construct_page_chooser_queryset")
def chooser_shows_visible_pages(pages, request):
    return pages_visible_in_admin(request.user, pages)


@hooks.register("construct_explorer_page_queryset")
def explorer_shows_visible_pages(parent_page, pages, request):
    return pages_visible_in_admin(request.user, pages)


@hooks.register("construct_reports_menu")
def page_types_report_for_network_admins(request, menu_items):
    """It names the latest edited page of every type, in any area; its address is refused too."""
    if not is_network_admin(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


class AskForApproval(SubmitForModerationMenuItem):
    """Wagtail's "Submit to area-01 承認" in plain words: that it asks for approval, and publishes after."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page and page.pk else None
        if state and state.status == state.STATUS_NEEDS_CHANGES:
            context["label"] = _("Ask for approval again")
        else:
            context["label"] = _("Ask for approval (published once approved)")
        return context


@hooks.register("construct_page_action_menu")
def plain_submit_for_approval(menu_items, request, context):
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[index] = AskForApproval(order=item.order)


@hooks.register("insert_global_admin_js")
def rich_text_boxes_have_names():
    """Screen readers announce each rich text box by its field's name (static/js/admin-labels.js)."""
    return format_html('<script src="{}" defer></script>', static("js/admin-labels.js"))


@hooks.register("construct_main_menu")
def no_english_help_menu(request, menu_items):
    """Wagtail's help menu leads to its English editor guide and "what's new" notes: not for the
    network's Japanese editors, who have the site's own help pages."""
    menu_items[:] = [item for item in menu_items if item.name != "help"]
