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
from django.http import HttpResponse
from django.middleware.csrf import get_token

from common.links import CHANNEL_COOKIE

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
#: The token that the same writes replace, but for those to the tables of applications and the
#: outbox (cms.page_cache.COUNTED_TABLES): what shows no counts of applications (the header's
#: areas, the Site) is kept under it, and a form whose page shows places left under it and the
#: places left, read afresh for each request (`shared_form`). In the opening rush every
#: application writes; these stay.
CONTENT_GENERATION_KEY = "generation:content"
#: Stands for the CSRF token in a stored form: each visitor is handed their own (`shared_form`).
CSRF_PLACEHOLDER = "csrf-token-put-in-for-each-visitor-" + "x" * 29


def is_stranger(request) -> bool:
    """No session, no messages, no credentials: the request can only be a stranger's."""
    # The channel cookie holds a channel's code, which no shared page shows (see common.links).
    allowed = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME, CHANNEL_COOKIE}
    return not (set(request.COOKIES) - allowed) and "HTTP_AUTHORIZATION" not in request.META


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


def shared_fragment(name: str, build, *keyed, counts: bool = True):
    """`build()`, kept under the current generation and the values in `keyed`.

    For a part of a page that is the same for everyone who may see it (the header's list of areas,
    the list of upcoming events, the report of an area): logged-in pages and cache misses then read
    it with one cache round trip. The value must hold nothing personal; what it depends on beyond
    the data (the language, today's date, the page number, the areas a report covers: the reader's
    rights) must be in `keyed`, and the caller asks the access module first whether the reader may
    see it. At most PAGE_CACHE_MAX_ENTRIES keyed fragments are kept per generation (beside as
    many pages). `counts=False`: the value shows nothing of applications (no places left, no
    list that hides a full date), so an application leaves it (CONTENT_GENERATION_KEY).
    """
    if not settings.PAGE_CACHE_SECONDS:
        return build()
    cache = caches["pages"]
    generation_key = GENERATION_KEY if counts else CONTENT_GENERATION_KEY
    key = f"fragment:{name}" if counts else f"fragment:content:{name}"
    if keyed:
        key += ":" + hashlib.sha256(repr(keyed).encode()).hexdigest()
    try:
        found = cache.get_many([generation_key, key])
    except Exception:
        logger.exception("Page cache unavailable")
        return build()
    generation, entry = found.get(generation_key), found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    value = build()
    try:
        if generation is None:  # as the middleware does: the cache was emptied
            generation = _generation(cache, generation_key)
        if generation is not None and not (keyed and entries_full(cache, generation, "fragments")):
            cache.set(key, (generation, value), settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache unavailable")
    return value


def _generation(cache, key):
    found = cache.get(key)
    if found is None:  # as the middleware does: the cache was emptied
        cache.add(key, uuid.uuid4().hex, None)
        found = cache.get(key)
    return found


def shared_form(request, name: str, keyed, build):
    """A stranger's form page, the same for every stranger but for the CSRF token: rendered once
    (`build()`, which must render `csrf_token` as CSRF_PLACEHOLDER) and kept under the forms'
    generation and `keyed()`, the values the page shows that change without a write that replaces
    the generation (the places left); then each visitor gets the stored page with their own token
    put in (`get_token`: a fresh mask of their secret, and the CSRF cookie set if they had none).

    The caller decides that the request is a stranger's (`is_stranger`) and a GET, and that the
    page reads nothing of the request but what `keyed()` holds (the language, the host, the
    query parameters it reads). A page rendered while `keyed()` changed is not stored.
    """
    if not settings.PAGE_CACHE_SECONDS:
        return _with_token(request, build())
    cache = caches["pages"]
    values = keyed()
    key = f"form:{name}:" + hashlib.sha256(repr(values).encode()).hexdigest()
    try:
        found = cache.get_many([CONTENT_GENERATION_KEY, key])
        generation, entry = found.get(CONTENT_GENERATION_KEY), found.get(key)
        if generation is None:
            generation = _generation(cache, CONTENT_GENERATION_KEY)
    except Exception:
        logger.exception("Page cache unavailable")
        return _with_token(request, build())
    if generation is not None and entry is not None and entry[0] == generation:
        return _with_token(request, HttpResponse(entry[2], content_type=entry[1]))
    response = build()
    storable = response.status_code == 200 and not response.streaming and not response.cookies
    try:
        if storable and generation is not None and keyed() == values:
            if not entries_full(cache, generation, "forms"):
                entry = (generation, response["Content-Type"], response.content)
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache unavailable")
    return _with_token(request, response)


def _with_token(request, response):
    if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return response
