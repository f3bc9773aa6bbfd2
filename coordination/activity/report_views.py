"""The yearly evaluation: the report page for network admins and coordinators, its exports, and
the public page of the ward-wide totals. The views decide who may see what; report.py counts."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from areas.access import may_see_report, may_see_ward_report, reportable_areas, second_factor_required
from common.fiscal import fiscal_year
from common.page_cache import reader_page, shared_fragment
from coordination.activity import charts, exports
from coordination.activity.report import build_report
from coordination.activity.survey_results import survey_results

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or fiscal_year(timezone.localdate()))
    except ValueError as error:
        raise Http404 from error


def _selection(request):
    """What the person asked for and may read, as (year, areas or None for the ward, scope), or
    None for a visitor: ward-wide (admins), or their chosen areas."""
    user = request.user
    if not user.is_authenticated:
        return None
    if not may_see_report(user):
        raise PermissionDenied
    areas = reportable_areas(user)
    codes = set(request.GET.getlist("area"))
    # Every area ticked is the whole ward: its ward-wide sessions and its targets too.
    every_area = may_see_ward_report(user) and codes >= set(areas.values_list("code", flat=True))
    if codes and not every_area:
        areas = areas.filter(code__in=codes)
        if not areas.exists():
            raise PermissionDenied
    elif may_see_ward_report(user):
        return _year(request), None, _("The whole ward")
    return _year(request), areas, "、".join(areas.values_list("title", flat=True))


def _built(year, areas, scope):
    found = build_report(year, areas, scope=scope)
    found.selected_areas = areas
    return found


def _report_for(request):
    """The report the person asked for and may read (see `_selection`)."""
    selection = _selection(request)
    return None if selection is None else _built(*selection)


def _charts(report) -> list:
    labels = [f"{month}月" for month, _this, _last in report.months]
    legend = (report.label, _("A year earlier"))
    made = []
    for index, name in ((0, _("Sessions per month")), (1, _("Participants per month"))):
        this_year = [this[index] for _month, this, _last in report.months]
        last_year = [last[index] for _month, _this, last in report.months]
        made.append(
            {
                "title": name,
                "svg": charts.month_bars(name, labels, this_year, last_year, legend, prefix=f"chart{index}"),
            }
        )
    return made


@require_safe
@never_cache
@reader_page
@second_factor_required
def report(request):
    """Actuals against targets, per month beside last year, evening and Sunday sessions."""
    selection = _selection(request)
    if selection is None:
        return redirect_to_login(request.get_full_path())
    year, areas, scope = selection

    def build():
        found = _built(year, areas, scope)
        # A coordinator reads the answers to their areas' surveys only.
        surveys = survey_results(year, areas)
        found.selected_areas = None if areas is None else list(areas.values_list("code", flat=True))
        return {
            "report": found,
            "charts": _charts(found),
            "breakdowns": exports.breakdown_tables(found),
            "surveys": surveys,
        }

    # The same for everyone who may read these areas (the access module said so above): kept
    # under the page cache's generation, keyed on the areas, the year, the language and the day.
    codes = None if areas is None else tuple(sorted(areas.values_list("code", flat=True)))
    shown = shared_fragment("report", build, year, codes, get_language(), timezone.localdate())
    context = {**shown, "areas": reportable_areas(request.user), "year": year}
    return render(request, "activity/report.html", context)


@require_safe
@never_cache
@second_factor_required
def report_export(request, kind):
    """The report as CSV, an Excel workbook or a PDF, for those who may read it."""
    found = _report_for(request)
    if found is None:
        return redirect_to_login(request.get_full_path())
    if kind == "csv":
        content, content_type = exports.report_csv(found), "text/csv; charset=utf-8"
    elif kind == "xlsx":
        content, content_type = exports.report_workbook(found), XLSX
    else:
        content, content_type = exports.report_pdf(found, _charts(found)), "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    codes = None if found.selected_areas is None else found.selected_areas.values_list("code", flat=True)
    response["Content-Disposition"] = f'attachment; filename="{exports.report_filename(found, codes, kind)}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def public_totals(request):
    """「結果の公表」: the ward-wide totals of a year, every session once, no personal data."""
    found = build_report(_year(request), None, scope=_("The whole ward"))
    found.progress = []
    return render(request, "activity/public_totals.html", {"report": found, "charts": _charts(found)})
