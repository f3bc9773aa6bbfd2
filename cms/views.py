from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page, PageViewRestriction

from areas.access import Reader, pages_awaiting_approval
from areas.sections import dashboard_sections
from areas.selectors import dashboard_for
from common.search import bigrams

RESULTS_PER_PAGE = 10
#: Pages looked at, at most, before the privacy filter: the search stays bounded.
MAX_CANDIDATES = 200


def _candidates(pages, query) -> list[Page]:
    """Live pages matching the words as typed, then those matching their bigrams (all required).

    The bigram search finds a Japanese word inside a sentence, where the plain search
    only finds whole words; the two are merged, plain matches first, without duplicates.
    """
    found = {}
    # A double quote would end the quoted term the search backend builds for each word.
    plain = " ".join(query.replace('"', " ").split())
    searches = [(plain, {})] if plain else []
    grams = bigrams(query)
    if grams and grams != plain.lower():
        searches.append((grams, {"operator": "and"}))
    for words, options in searches:
        for page in pages.search(words, **options)[:MAX_CANDIDATES]:
            found.setdefault(page.pk, page)
    return list(found.values())[:MAX_CANDIDATES]


def _restrictions_by_page(pages) -> dict[int, list[PageViewRestriction]]:
    """Each page's view restrictions, its own and its ancestors', in two queries for all pages."""
    ancestor_paths = {
        page.path[:end] for page in pages for end in range(Page.steplen, len(page.path) + 1, Page.steplen)
    }
    restrictions = list(
        PageViewRestriction.objects.filter(page__path__in=ancestor_paths)
        .select_related("page")
        .prefetch_related("groups")
    )
    return {page.pk: [r for r in restrictions if page.path.startswith(r.page.path)] for page in pages}


def _readable(request, pages) -> list[Page]:
    """The pages the person may view: public ones, and restricted ones whose restrictions they pass."""
    reader = Reader(request)
    restrictions = _restrictions_by_page(pages)
    return [page for page in pages if reader.may_view_page(page, restrictions[page.pk])]


def search(request):
    """Search published pages: public ones for everyone, restricted ones only for those who may view them."""
    query = request.GET.get("q", "").strip()[:200]
    results = []
    if query:
        pages = Page.objects.live().specific()
        if not request.user.is_authenticated:
            pages = pages.public()
        results = _readable(request, _candidates(pages, query))
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"search_query": query, "results": page})


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
