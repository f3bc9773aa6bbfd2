from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from areas.access import pages_awaiting_approval, public_pages
from areas.models import AreaPage
from areas.sections import dashboard_sections
from areas.selectors import dashboard_for
from cms.models import SearchEntry
from cms.search import ranked_page_ids, search_entries, search_results, search_terms
from common.page_cache import reader_page

RESULTS_PER_PAGE = 10


def search(request):
    """Search published pages: public ones for everyone, restricted ones only for those who may view
    them; by kind of page and by area if asked."""
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("type", "")
    kind = kind if kind in SearchEntry.Kind.values else ""
    # The areas' ids first (13 rows): filtered and ordered as one query, SQLite walked the whole
    # page tree in path order, asking each page's restrictions (0.15 s a search at 20,000 pages).
    area_ids = list(AreaPage.objects.live().values_list("pk", flat=True))
    areas = public_pages(AreaPage.objects.filter(pk__in=area_ids)).order_by("path")
    area_id = request.GET.get("area", "")
    area = areas.filter(pk=area_id).first() if area_id.isdigit() else None
    entries = search_entries(request, query=query, kind=kind, area=area)
    page = Paginator(ranked_page_ids(entries), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    terms = search_terms(query)
    context = {
        "search_query": query,
        "results": page,
        "shown": search_results(list(page), terms),
        "kinds": SearchEntry.Kind.choices,
        "kind": kind,
        "areas": areas,
        "area": area,
    }
    return render(request, "search/search.html", context)


@reader_page
@login_required
def dashboard(request):
    """After log-in: what waits for my approval, my organisations and roles, then what each feature app
    has for me (open action items, applications, my organisations' events), then my areas."""
    context = {
        "awaiting_approval": pages_awaiting_approval(request.user),
        "dashboard": dashboard_for(user=request.user),
        "sections": dashboard_sections(request=request),
    }
    return render(request, "cms/dashboard.html", context)
