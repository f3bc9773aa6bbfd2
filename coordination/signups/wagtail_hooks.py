"""「申込一覧」 in a page's menus for those who may see its applicants; the dashboard's applications
and its link to the volunteer roster."""

from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from areas.access import may_see_applicants, may_see_roster
from areas.sections import DASHBOARD_SECTIONS, Section
from coordination.signups.offers import OffersSignups
from coordination.signups.selectors import applications_for_members


class ApplicationsMenuItem(PageMenuItem):
    """「申込一覧」 in the page's header and listing menus, for those who may see the applicants."""

    label = pgettext_lazy("page menu", "Applications")
    icon_name = "group"
    url_name = "signups:list"

    def is_shown(self, user):
        page = self.page.specific_deferred
        return isinstance(page, OffersSignups) and page.takes_signups() and may_see_applicants(user, page)


@hooks.register("register_page_header_buttons")
def applications_header_button(page, user, view_name, next_url=None):
    yield ApplicationsMenuItem(page=page, priority=68)


@hooks.register("register_page_listing_more_buttons")
def applications_listing_button(page, user, next_url=None):
    yield ApplicationsMenuItem(page=page, priority=55)


@hooks.register(DASHBOARD_SECTIONS)
def applications_to_my_organisations(request):
    return Section(
        "signups/dashboard_section.html", {"applications": applications_for_members(request.user)}, order=20
    )


@hooks.register(DASHBOARD_SECTIONS)
def volunteer_roster_link(request):
    if not may_see_roster(request.user):
        return None
    return Section("signups/roster_dashboard_section.html", {}, order=21)
