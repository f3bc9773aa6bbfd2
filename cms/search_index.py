"""Writes the site search's entries: one per live page, rewritten whenever the page is published.

What a page type offers to search is what it declares in `search_fields`, as for Wagtail's own
backend: its title; fields with a boost above 1 (places, organisers, town blocks) weigh as
places; the other search fields, of the page or of related objects (a meeting's action items),
are the body. Every page also carries the names of its areas. The bigram field, made for
Wagtail's backend, is left out.
"""

from django.db import connection, transaction
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


def page_areas(page: Page) -> list[AreaPage]:
    """The areas a page is for: those it names (events, postings), else the area it is under."""
    named = getattr(page, "areas", None)
    if named is not None and hasattr(named, "all"):
        chosen = list(named.all())
        if chosen:
            return chosen
    return list(AreaPage.objects.ancestor_of(page, inclusive=True)[:1])


def _kind_and_date(page: Page):
    for model, (kind, attribute) in KINDS.items():
        if isinstance(page, model):
            value = getattr(page, attribute) if attribute else None
            return kind, timezone.localdate(value) if hasattr(value, "tzinfo") else value
    return SearchEntry.Kind.PAGE, None


@transaction.atomic
def page_index(*, page: Page) -> None:
    """Write the page's entry, or remove it when the page is not live."""
    page = page.specific
    if not page.live:
        page_unindex(page_id=page.pk)
        return
    areas = page_areas(page)
    places, body = _field_texts(page, page.search_fields)
    places += [area.title for area in areas if area.pk != page.pk]
    places_text = "\n".join(places)
    kind, date = _kind_and_date(page)
    entry, _created = SearchEntry.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "kind": kind,
            "date": date,
            "title": f"{normalise(page.title)}\n{reading(page.title)}",
            "places": f"{normalise(places_text)}\n{reading(places_text)}",
            "body": normalise("\n".join(body)),
            "text": "\n".join(body) or places_text,
        },
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


def search_reindex() -> int:
    """Rewrite every live page's entry and drop the others; return how many pages are indexed."""
    SearchEntry.objects.exclude(page__live=True).delete()
    count = 0
    for page in Page.objects.live().specific().iterator(chunk_size=500):
        page_index(page=page)
        count += 1
    return count
