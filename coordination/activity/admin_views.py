"""The admin of what was held: the list of sessions to review and correct (with activities that
are no public page, added here), the fiscal years' status with the reopen action, and the ③
information work staff record by hand. Who may do what is asked of `areas.access`."""

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import modelform_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from areas.access import (
    is_network_admin,
    is_session_recorder,
    may_record_headcount,
    may_reopen_fiscal_year,
    recordable_sessions,
)
from areas.models import AreaPage
from common.fiscal import fiscal_year, fiscal_year_label, fiscal_year_range
from coordination.activity.facilities import facility_matching
from coordination.activity.models import COUNT_FIELDS, Facility, ProgrammeType, Project, Session
from coordination.activity.records import FiscalYearStatus, InformationWork
from coordination.activity.services import close_year, reopen_year

FIRST_YEAR = 2019


def year_choices():
    last = fiscal_year(timezone.localdate()) + 1
    return [(year, fiscal_year_label(year)) for year in range(last, FIRST_YEAR - 1, -1)]


class YesNoColumn(Column):
    """A yes-or-no field in an admin listing, in words (Wagtail's BooleanColumn titles its icons
    "True" and "False", which a Japanese reader would hear in English)."""

    @classmethod
    def of(cls, model, name):
        return cls(name, label=model._meta.get_field(name).verbose_name, sort_key=name)

    def get_value(self, instance):
        value = getattr(instance, self.name)
        return pgettext("yes or no", "Yes") if value else pgettext("yes or no", "No")


class SessionFilterSet(WagtailFilterSet):
    """Year, area, facility, programme and its project (事業の内容); whether recorded, and whether
    it is a page's date or an activity recorded here."""

    fiscal_year = django_filters.TypedChoiceFilter(
        label=_("Fiscal year"), choices=year_choices, coerce=int, method="in_fiscal_year"
    )
    areas = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=AreaPage.objects.live().order_by("code")
    )
    facility = django_filters.ModelChoiceFilter(label=_("Facility or place"), queryset=Facility.objects.all())
    programme_type = django_filters.ModelChoiceFilter(
        label=_("Programme type"), queryset=ProgrammeType.objects.all()
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=Project.objects.all(), field_name="programme_type__project"
    )
    recorded = django_filters.BooleanFilter(
        label=_("Headcount recorded"), field_name="recorded_at", lookup_expr="isnull", exclude=True
    )
    internal = django_filters.BooleanFilter(
        label=_("Not on a public page"), field_name="page", lookup_expr="isnull"
    )

    class Meta:
        model = Session
        fields = ["fiscal_year", "areas", "facility", "programme_type", "project", "recorded", "internal"]

    def in_fiscal_year(self, queryset, name, value):
        return queryset.filter(date__range=fiscal_year_range(int(value))) if value else queryset


class SessionForm(WagtailAdminModelForm):
    """A session corrected, or an activity that is no public page added with its count
    (駅コンコースでのチラシ配布, 会員間の交流…): nobody is told of it. Numbers typed make it recorded;
    an empty number is nobody. With no facility picked, the one its place names is taken
    (本拠点 2階 → 本拠点), as for a page's dates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in COUNT_FIELDS:
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in COUNT_FIELDS:
            if name in self.fields and cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned

    def save(self, commit=True):
        session = super().save(commit=False)
        if session.facility_id is None and session.place:
            found = facility_matching(session.place, Facility.objects.filter(active=True))
            session.facility = found
        if any(self.cleaned_data.get(name) for name in COUNT_FIELDS) or self.cleaned_data.get("note"):
            session.recorded_at = session.recorded_at or timezone.now()
            session.recorded_by = self.for_user
        if commit:
            session.save()
            self.save_m2m()
        return session


class SessionPolicy(ModelPermissionPolicy):
    """Those who may record a headcount see and correct the sessions they may record; adding
    an activity is theirs too; deleting one is for network admins, and only an activity added
    here (a page's dates follow the page)."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return is_network_admin(user)
        return is_session_recorder(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete":
            return is_network_admin(user) and instance.page_id is None
        return self.user_has_permission(user, action) and may_record_headcount(user, instance)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).none()


class SessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        sessions = super().get_base_queryset().select_related("programme_type")
        return recordable_sessions(self.request.user, sessions)


class SessionEditView(generic.EditView):
    def get_object(self, queryset=None):
        session = super().get_object(queryset)
        if not may_record_headcount(self.request.user, session):
            raise PermissionDenied
        return session


class SessionViewSet(ModelViewSet):
    model = Session
    url_prefix = "activity/sessions"
    icon = "list-ul"
    menu_label = _("Sessions and activities")
    index_view_class = SessionIndexView
    edit_view_class = SessionEditView
    form_fields = [
        *("programme_type", "title", "date", "start_time", "end_time", "facility", "place", "areas"),
        "organisations",
        *COUNT_FIELDS[:8],
        "note",
    ]
    list_display = ["title", "date", "programme_type", "facility", "place", "recorded_at"]
    filterset_class = SessionFilterSet
    search_fields = ["title", "place"]
    list_per_page = 50
    copy_view_enabled = True
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return modelform_factory(self.model, form=SessionForm, fields=self.form_fields)


class YearStatusForm(WagtailAdminModelForm):
    """Tick to close the year (its document is published); untick, with a reason, to reopen it."""

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("closed") and not (cleaned.get("reopen_reason") or "").strip():
            self.add_error("reopen_reason", _("Say why the year is reopened."))
        if not cleaned.get("closed") and not may_reopen_fiscal_year(self.for_user):
            raise ValidationError(_("Only network admins may reopen a fiscal year."))
        return cleaned

    def save(self, commit=True):
        year, user = self.cleaned_data["fiscal_year"], self.for_user
        if self.cleaned_data["closed"]:
            return close_year(fiscal_year=year, by=user)
        return reopen_year(fiscal_year=year, by=user, reason=self.cleaned_data["reopen_reason"])


class FiscalYearStatusViewSet(ModelViewSet):
    model = FiscalYearStatus
    url_prefix = "activity/fiscal-years"
    icon = "lock"
    menu_label = _("Fiscal years (open or closed)")
    form_fields = ["fiscal_year", "closed", "reopen_reason"]
    list_display = [
        "__str__",
        YesNoColumn.of(FiscalYearStatus, "closed"),
        "closed_by",
        "closed_at",
        "reopened_by",
        "reopened_at",
        "reopen_reason",
    ]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return modelform_factory(self.model, form=YearStatusForm, fields=self.form_fields)


class InformationWorkForm(WagtailAdminModelForm):
    def save(self, commit=True):
        work = super().save(commit=False)
        work.recorded_by = work.recorded_by or self.for_user
        if commit:
            work.save()
        return work


class InformationWorkViewSet(ModelViewSet):
    model = InformationWork
    url_prefix = "activity/information-work"
    icon = "mail"
    menu_label = _("Information work (③)")
    form_fields = ["kind", "date", "count", "note"]
    list_display = ["date", "kind", "count", "note"]
    list_filter = ["kind"]
    copy_view_enabled = True
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return modelform_factory(self.model, form=InformationWorkForm, fields=self.form_fields)
