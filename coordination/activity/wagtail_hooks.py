"""The dashboard's 「記録待ちの回」, trainings waiting for their outcome and the way to the yearly
report; the admin of programme types and yearly targets, which only network admins see and
change, and the report in the admin menu for those who may read it."""

from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from areas.access import is_network_admin, may_see_report, may_see_ward_report
from areas.sections import DASHBOARD_SECTIONS, Section
from common.fiscal import fiscal_year, fiscal_year_label
from coordination.activity.admin_views import (
    FiscalYearStatusViewSet,
    InformationWorkViewSet,
    SessionPolicy,
    SessionViewSet,
    YesNoColumn,
)
from coordination.activity.models import Facility, LiaisonDeadline, ProgrammeType, Project, Session, Target
from coordination.activity.records import FiscalYearStatus, InformationWork
from coordination.activity.selectors import sessions_awaiting_headcount, trainings_awaiting_outcome
from coordination.activity.selectors import sessions_to_record as sessions_to_record_selector

#: The evaluation document's admin (coordination.evaluation, issue 26): the hub's dashboard links
#: to it once a URL of this name exists, and says nothing of it before.
DOCUMENT_ADMIN_URL = "evaluation:list"
#: How many of the sessions waiting for a headcount the hub's section lists itself.
HUB_LATEST = 3


def _url_if_any(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@hooks.register(DASHBOARD_SECTIONS)
def sessions_to_record(request):
    sessions = list(sessions_awaiting_headcount(request.user))
    if not sessions:
        return None
    return Section("activity/dashboard_section.html", {"sessions_to_record": sessions}, order=5)


@hooks.register(DASHBOARD_SECTIONS)
def hub_work(request):
    """The hub's work (network admins): everything it runs still to record, however long ago, the
    sessions and activities to review or add, ③ information work, last year's report and the
    evaluation document; each one tap away."""
    if not may_see_ward_report(request.user):
        return None
    last_year = fiscal_year(timezone.localdate()) - 1
    waiting = sessions_to_record_selector(request.user)
    context = {
        "to_record": waiting.count(),
        "latest": list(waiting[:HUB_LATEST]),
        "last_year": last_year,
        "last_year_label": fiscal_year_label(last_year),
        "document_url": _url_if_any(DOCUMENT_ADMIN_URL),
    }
    return Section("activity/dashboard_hub.html", context, order=1)  # first: it is the hub's own work


@hooks.register(DASHBOARD_SECTIONS)
def trainings_to_complete(request):
    trainings = list(trainings_awaiting_outcome(request.user))
    if not trainings:
        return None
    return Section("activity/dashboard_trainings.html", {"trainings": trainings}, order=6)


@hooks.register(DASHBOARD_SECTIONS)
def evaluation_report(request):
    if not may_see_report(request.user):
        return None
    context = {"ward_report": may_see_ward_report(request.user)}
    return Section("activity/dashboard_report.html", context, order=4)


class ReportMenuItem(MenuItem):
    """The yearly report (a page of the site), for those who may read it."""

    def is_shown(self, request):
        return may_see_report(request.user)


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    url = reverse_lazy("activity:report")
    return ReportMenuItem(_("Evaluation report"), url, name="evaluation-report", icon_name="table", order=251)


class NetworkAdminsOnly(ModelPermissionPolicy):
    """What the evaluation counts by is the hub's to set: network admins (and superusers) may
    do everything here, nobody else anything, whatever groups they are in."""

    def user_has_permission(self, user, action):
        return is_network_admin(user)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).none()


for model in (ProgrammeType, Target, LiaisonDeadline, Facility, Project, FiscalYearStatus, InformationWork):
    register_permission_policy(model, NetworkAdminsOnly(model))
register_permission_policy(Session, SessionPolicy(Session))


class ProgrammeTypeViewSet(ModelViewSet):
    model = ProgrammeType
    icon = "tag"
    menu_label = _("Programme types")
    form_fields = ["name", "project", "kind", "sort_order", "notation", "next_programme", "active"]
    list_display = [
        "name",
        "project",
        "kind",
        "sort_order",
        "next_programme",
        YesNoColumn.of(ProgrammeType, "active"),
    ]
    list_filter = ["project", "kind", "active"]
    copy_view_enabled = False
    inspect_view_enabled = False


class TargetViewSet(ModelViewSet):
    model = Target
    icon = "success"
    menu_label = _("Targets")
    form_fields = ["fiscal_year", "area", "programme_type", "metric", "value", "note"]
    list_display = ["fiscal_year", "area", "programme_type", "metric", "value"]
    list_filter = ["fiscal_year", "metric", "programme_type"]
    copy_view_enabled = True
    inspect_view_enabled = False


class LiaisonDeadlineViewSet(ModelViewSet):
    model = LiaisonDeadline
    icon = "date"
    menu_label = _("Liaison meeting deadlines")
    form_fields = ["fiscal_year", "due"]
    list_display = ["fiscal_year", "due"]
    copy_view_enabled = False
    inspect_view_enabled = False


class ProjectViewSet(ModelViewSet):
    """事業の内容: the projects programme types are grouped under in the report, in their order."""

    model = Project
    icon = "list-ol"
    menu_label = _("Projects")
    form_fields = ["number", "short_name", "name"]
    list_display = ["number", "short_name", "name"]
    copy_view_enabled = False
    inspect_view_enabled = False


class FacilityViewSet(ModelViewSet):
    """The hub's facilities (本拠点, サテライト) and the places it holds sessions at."""

    model = Facility
    icon = "home"
    menu_label = _("Facilities and places")
    form_fields = ["name", "short_name", "kind", "area", "aliases", "sort_order", "active"]
    list_display = ["name", "short_name", "kind", "area", YesNoColumn.of(Facility, "active")]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name", "aliases"]
    copy_view_enabled = False
    inspect_view_enabled = False


class EvaluationGroup(ModelViewSetGroup):
    menu_label = _("Evaluation")
    menu_icon = "table"
    menu_order = 250
    items = (
        ProjectViewSet("projects"),
        ProgrammeTypeViewSet("programme_types"),
        FacilityViewSet("facilities"),
        TargetViewSet("targets"),
        LiaisonDeadlineViewSet("liaison_deadlines"),
        SessionViewSet("activity_sessions"),
        InformationWorkViewSet("information_work"),
        FiscalYearStatusViewSet("fiscal_years"),
    )


@hooks.register("register_admin_viewset")
def register_evaluation_admin():
    return EvaluationGroup()
