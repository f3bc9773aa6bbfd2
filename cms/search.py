"""Reads the site search's entries: what the reader may open, matching every word, best first.

Matching is substring matching on text normalised by common.search, the same SQL on SQLite and
PostgreSQL, so both give the same pages in the same order. A word of one character is looked for
in titles and places only: in body text it would match nearly everything.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, IntegerField, Q, Value, When

from areas.access import pages_visible_on_site
from cms.models import SearchEntry
from common.search import query_terms, snippet

#: At most this many words of a query are used, to keep one search's cost bounded.
MAX_TERMS = 8
#: A word in the title weighs more than in the places, which weigh more than the body.
TITLE_WEIGHT, PLACES_WEIGHT, BODY_WEIGHT = 100, 10, 1


def search_entries(request, *, query: str, kind: str = "", area=None):
    """The entries of the pages the reader may open that match every word of the query, ranked by
    where the words are, then the latest date first."""
    terms = query_terms(query)[:MAX_TERMS]
    if not terms:
        return SearchEntry.objects.none()
    entries = SearchEntry.objects.all()
    if kind:
        entries = entries.filter(kind=kind)
    if area is not None:
        entries = entries.filter(areas=area)
    scores = []
    for term in terms:
        in_title, in_places = Q(title__contains=term), Q(places__contains=term)
        in_body = Q(body__contains=term) if len(term) > 1 else Q(pk__in=[])
        entries = entries.filter(in_title | in_places | in_body)
        scores.append(
            Case(
                When(in_title, then=Value(TITLE_WEIGHT)),
                When(in_places, then=Value(PLACES_WEIGHT)),
                default=Value(BODY_WEIGHT),
                output_field=IntegerField(),
            )
        )
    # Last, so the reader's filter is asked only of the entries that match (one or two lookups each).
    entries = pages_visible_on_site(request, entries, through="page")
    return entries.annotate(score=sum(scores[1:], scores[0])).order_by(
        "-score", F("date").desc(nulls_last=True), "-page_id"
    )


def ranked_page_ids(entries) -> list[int]:
    """The ids of the entries' pages, best first, as one query: the count and any page of results
    are taken from it. Counting and then reading a page matched every entry twice, and the ids
    of even 20,000 matches cost less than a second match (a few milliseconds)."""
    return list(entries.values_list("page_id", flat=True))


def search_results(page_ids, terms: list[str]) -> list["SearchResult"]:
    """The results of a page of `search_entries` given by their pages' ids, in that order.

    The ranking sorts only the ids of the matching entries (on SQLite its sorter carried every
    column of every match, the texts included: thousands of rows for a common word); the texts of
    the ten shown are read after, by id.
    """
    entries = (
        SearchEntry.objects.filter(page_id__in=page_ids).select_related("page").prefetch_related("areas")
    )
    by_id = {entry.page_id: entry for entry in entries}
    return [SearchResult.of(by_id[page_id], terms) for page_id in page_ids if page_id in by_id]


def search_terms(query: str) -> list[str]:
    """The normalised words the extracts are marked with."""
    return query_terms(query)[:MAX_TERMS]


@dataclass(frozen=True)
class SearchResult:
    """One result as the page shows it: the title and an extract with the words marked."""

    url: str
    title: str
    kind: str
    areas: list[str]
    date: date | None
    extract: str

    @classmethod
    def of(cls, entry: SearchEntry, terms: list[str]) -> "SearchResult":
        page = entry.page
        return cls(
            url=page.url,
            title=snippet(page.title, terms, length=len(page.title)),
            kind=entry.get_kind_display(),
            areas=[area.title for area in entry.areas.all()],
            date=entry.date,
            extract=snippet(entry.text, terms),
        )
