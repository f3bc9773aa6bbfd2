from django.utils.translation import gettext_lazy as _
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
