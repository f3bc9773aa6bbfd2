"""The mark a view puts on a page that is the same for every anonymous visitor, and the shared
fragments that logged-in pages read from the same cache.

`cms.page_cache.PageCacheMiddleware` stores only responses marked so (Wagtail pages are marked
by a hook in cms when they have no view restriction); every other view is never cached.
Fragments (`shared_fragment`) are kept under the generation the middleware keeps, which any
write to a table a page shows replaces (docs/decisions.md, "Page cache").
"""

import functools
import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

#: The request attribute the middleware reads.
ATTRIBUTE = "page_cache_allowed"
#: Set by the middleware on a request it may answer from the cache: the query string its key holds.
KEYED_QUERY = "page_cache_query"
#: The token in the "pages" cache that any write to a shown table replaces (cms.page_cache).
GENERATION_KEY = "generation"
#: The token that any write to a personal table replaces (notifications, log-ins, second factors):
#: a reader's kept page (`reader_page`) is valid only while both tokens are unchanged.
PERSONAL_GENERATION_KEY = "personal-generation"
#: The request attribute a reader's page sets: cms.reader_page may keep the whole response.
READER_ATTRIBUTE = "reader_page_allowed"


def allow_page_cache(request) -> None:
    """This response, to this request, is the same for every anonymous visitor.

    A shared page is stored under its query parameters that change pages, so it is rendered from
    those alone: the others (utm_*, fbclid, anything unknown) are taken out before it reads any.
    """
    setattr(request, ATTRIBUTE, True)
    keyed = getattr(request, KEYED_QUERY, None)
    if keyed is not None and keyed.urlencode() != request.GET.urlencode():
        request.GET = keyed
        request.META["QUERY_STRING"] = keyed.urlencode()


def shared_page(view):
    """A view whose page is the same for every anonymous visitor (and its query string)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        allow_page_cache(request)
        return view(request, *args, **kwargs)

    return wrapped


def allow_reader_page(request) -> None:
    """This response may be kept whole for this reader's session (cms.reader_page decides whether
    the request and the response are ones it may keep): the page depends only on the data, the
    session, the CSRF cookie, the language, the day and the URL."""
    setattr(request, READER_ATTRIBUTE, True)


def reader_page(view):
    """A logged-in view whose page may be kept whole for the reader (docs/decisions.md, "A reader's
    page (issue 30)")."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        allow_reader_page(request)
        return view(request, *args, **kwargs)

    return wrapped


def entries_full(cache, generation, kind="entries") -> bool:
    """Count one more entry of `kind` (pages, or "fragments") under `generation`; True once past
    PAGE_CACHE_MAX_ENTRIES (every write starts a new generation, and the old ones expire): endless
    months, page numbers or filters cannot push the pages out."""
    counter = f"{kind}:{generation}"
    cache.add(counter, 0, settings.PAGE_CACHE_SECONDS)
    return cache.incr(counter) > settings.PAGE_CACHE_MAX_ENTRIES


def shared_fragment(name: str, build, *keyed):
    """`build()`, kept under the current generation and the values in `keyed`.

    For a part of a page that is the same for everyone who may see it (the header's list of areas,
    the list of upcoming events, the report of an area): logged-in pages and cache misses then read
    it with one cache round trip. The value must hold nothing personal; what it depends on beyond
    the data (the language, today's date, the page number, the areas a report covers: the reader's
    rights) must be in `keyed`, and the caller asks the access module first whether the reader may
    see it. At most PAGE_CACHE_MAX_ENTRIES keyed fragments are kept per generation (beside as
    many pages).
    """
    if not settings.PAGE_CACHE_SECONDS:
        return build()
    cache = caches["pages"]
    key = f"fragment:{name}"
    if keyed:
        key += ":" + hashlib.sha256(repr(keyed).encode()).hexdigest()
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:
        logger.exception("Page cache unavailable")
        return build()
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    value = build()
    try:
        if generation is None:  # as the middleware does: the cache was emptied
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            generation = cache.get(GENERATION_KEY)
        if generation is not None and not (keyed and entries_full(cache, generation, "fragments")):
            cache.set(key, (generation, value), settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache unavailable")
    return value
