"""Network admins see the LINE messages left this month on their dashboard and in the admin menu."""

from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from areas.access import is_network_admin
from areas.sections import DASHBOARD_SECTIONS, Section
from common.links import INFORMATION_WORK
from coordination.line import client, quota, selectors


@hooks.register(DASHBOARD_SECTIONS)
def line_messages_left(request):
    if not is_network_admin(request.user):
        return None
    context = {"line_on": client.is_configured(), "followers": selectors.follower_counts()}
    if context["line_on"]:
        context["status"] = quota.month_status(ask_line=False)
    return Section("line/dashboard_section.html", context, order=7)


class NetworkAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_network_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_line_menu_item():
    url = reverse_lazy("line:manage")
    return NetworkAdminMenuItem(_("LINE official account"), url, name="line", icon_name="mail", order=260)


@hooks.register(INFORMATION_WORK)
def line_messages_sent(fiscal_year: int, areas):
    """③ information work: LINE messages sent in the year, one per recipient. A weekly message goes
    to followers of several areas at once, so it is counted ward-wide only."""
    if areas is not None:
        return []
    return [(gettext("LINE messages sent"), selectors.messages_sent(fiscal_year))]
