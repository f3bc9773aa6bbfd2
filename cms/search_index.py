"""Writes the site search's entries: one per live page, rewritten whenever the page is published.

What a page type offers to search is what it declares in `search_fields`, as for Wagtail's own
backend: its title; fields with a boost above 1 (places, organisers, town blocks) weigh as
places; the other search fields, of the page or of related objects (a meeting's action items),
are the body. Every page also carries the names of its areas. The bigram field, made for
Wagtail's backend, is left out.
"""

from itertools import islice

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index

from areas.models import AreaPage
from cms.models import ContentPage, SearchEntry
from common.search import BigramSearchField, normalise, reading
from coordination.events.models import EventPage
from coordination.meetings.models import MeetingPage
from coordination.volunteering.models import VolunteerPostingPage

#: Page type → the kind shown and filtered on, and the attribute that dates it.
KINDS = {
    EventPage: (SearchEntry.Kind.EVENT, "start_date"),
    VolunteerPostingPage: (SearchEntry.Kind.VOLUNTEERING, "deadline"),
    MeetingPage: (SearchEntry.Kind.MEETING, "start"),
    ContentPage: (SearchEntry.Kind.NOTICE, "last_published_at"),
    AreaPage: (SearchEntry.Kind.AREA, None),
}


def _texts(value) -> list[str]:
    """The plain texts of a search field's value: a string, rich text, or a stream's list."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    text = strip_tags(str(value)).strip()
    return [text] if text else []


def _field_texts(obj, fields, *, related=False) -> tuple[list[str], list[str]]:
    """(places, body): the texts of the declared search fields of `obj`."""
    places, body = [], []
    for field in fields:
        if isinstance(field, index.RelatedFields):
            value = field.get_value(obj)
            items = value.all() if hasattr(value, "all") else [value] if value is not None else []
            for item in items:
                item_places, item_body = _field_texts(item, field.fields, related=True)
                places += item_places
                body += item_body
        elif isinstance(field, index.SearchField) and not isinstance(field, BigramSearchField):
            if field.field_name == "title" and not related:
                continue  # the page's title is a field of its own
            (places if (field.boost or 1) > 1 else body).extend(_texts(field.get_value(obj)))
    return places, body


def page_areas(page: Page, areas_by_path: dict | None = None) -> list[AreaPage]:
    """The areas a page is for: those it names (events, postings), else the area it is under.

    `areas_by_path`: every area by its path, when the caller loaded them once for many pages.
    """
    named = getattr(page, "areas", None)
    if named is not None and hasattr(named, "all"):
        chosen = list(named.all())
        if chosen:
            return chosen
    # The page's ancestors are its path's prefixes (treebeard's paths, `steplen` characters a level).
    prefixes = [page.path[: page.steplen * depth] for depth in range(1, page.depth + 1)]
    if areas_by_path is None:
        return list(AreaPage.objects.filter(path__in=prefixes).order_by("path")[:1])
    return [areas_by_path[prefix] for prefix in prefixes if prefix in areas_by_path][:1]


def _kind_and_date(page: Page):
    for model, (kind, attribute) in KINDS.items():
        if isinstance(page, model):
            value = getattr(page, attribute) if attribute else None
            return kind, timezone.localdate(value) if hasattr(value, "tzinfo") else value
    return SearchEntry.Kind.PAGE, None


def _entry(page: Page, areas: list[AreaPage]) -> SearchEntry:
    """The (unsaved) entry of a live specific page for the given areas."""
    places, body = _field_texts(page, page.search_fields)
    places += [area.title for area in areas if area.pk != page.pk]
    places_text = "\n".join(places)
    kind, date = _kind_and_date(page)
    return SearchEntry(
        page_id=page.pk,
        kind=kind,
        date=date,
        title=f"{normalise(page.title)}\n{reading(page.title)}",
        places=f"{normalise(places_text)}\n{reading(places_text)}",
        body=normalise("\n".join(body)),
        text="\n".join(body) or places_text,
    )


@transaction.atomic
def page_index(*, page: Page) -> None:
    """Write the page's entry, or remove it when the page is not live."""
    page = page.specific
    if not page.live:
        page_unindex(page_id=page.pk)
        return
    areas = page_areas(page)
    written = _entry(page, areas)
    fields = ["kind", "date", "title", "places", "body", "text"]
    entry, _created = SearchEntry.objects.update_or_create(
        page_id=page.pk, defaults={field: getattr(written, field) for field in fields}
    )
    entry.areas.set(areas)


def page_unindex(*, page_id: int) -> None:
    SearchEntry.objects.filter(page_id=page_id).delete()


def search_index_fill(**kwargs) -> None:
    """After `migrate` (every deployment): an empty index is filled, so search works from the first
    deployment that has it; later, publishing keeps it up to date."""
    if SearchEntry._meta.db_table not in connection.introspection.table_names():
        return  # migrated back to before the index
    if not SearchEntry.objects.exists() and Page.objects.live().filter(depth__gt=1).exists():
        search_reindex()


#: Pages indexed per transaction by `search_reindex`.
REINDEX_BATCH = 500


def search_reindex() -> int:
    """Rewrite every live page's entry and drop the others; return how many pages are indexed.

    In batches, each one transaction: the batch's related objects are read a few queries for all
    its pages, its entries replaced with two bulk inserts (one page at a time, with a commit and
    a page-cache bump each, took 20 ms a page: 7 minutes for 20,000 pages on SQLite).
    """
    SearchEntry.objects.exclude(page__live=True).delete()
    areas_by_path = {area.path: area for area in AreaPage.objects.all()}
    count = 0
    pages = Page.objects.live().specific().iterator(chunk_size=REINDEX_BATCH)
    while batch := list(islice(pages, REINDEX_BATCH)):
        _prefetch_indexed_relations(batch)
        with transaction.atomic():
            _replace_entries(batch, areas_by_path)
        count += len(batch)
    return count


def _prefetch_indexed_relations(pages) -> None:
    """Load, per page type, the relations the entries read: the named areas and the related
    search fields (a meeting's action items, the organisers)."""
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, instances in by_model.items():
        names = [field.field_name for field in model.search_fields if isinstance(field, index.RelatedFields)]
        names.append("areas")
        relations = [name for name in dict.fromkeys(names) if _is_relation(model, name)]
        if relations:
            prefetch_related_objects(instances, *relations)


def _is_relation(model, name: str) -> bool:
    try:
        return model._meta.get_field(name).is_relation
    except FieldDoesNotExist:
        return False


def _replace_entries(pages, areas_by_path) -> None:
    entries, links = [], []
    through = SearchEntry.areas.through
    for page in pages:
        areas = page_areas(page, areas_by_path)
        entries.append(_entry(page, areas))
        links += [through(searchentry_id=page.pk, areapage_id=area.pk) for area in areas]
    SearchEntry.objects.filter(page_id__in=[entry.page_id for entry in entries]).delete()
    SearchEntry.objects.bulk_create(entries)
    through.objects.bulk_create(links)
