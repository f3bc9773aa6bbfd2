from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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
