"""Anonymous pages served from a cache every process shares, cleared by any write they might show.

A cached page costs one cache round trip (the generation and the page, read together). The
generation is a token in the shared cache; any committed INSERT, UPDATE or DELETE on a table a
public page might read (every table but the personal and bookkeeping ones in `IGNORED_TABLES`)
replaces it, whatever wrote it (a view, the admin, a Celery task, a bulk update), so every process
sees the change on its next request. A page stored under an older generation is never served.
Only anonymous GET and HEAD requests that carry no cookie but the language, CSRF and channel ones are
answered from or stored in the cache, and only 200 responses that set no cookie, to views that
declared the page shared (`common.page_cache`): a person's page can never reach anyone else.
A second token, the personal generation, is replaced by writes to the personal tables a reader's
kept page shows (cms.reader_page). See docs/decisions.md ("Page cache", "A reader's page").
"""

import hashlib
import logging
import re
import uuid
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.http.request import split_domain_port
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from common.page_cache import (
    ATTRIBUTE,
    CONTENT_GENERATION_KEY,
    GENERATION_KEY,
    KEYED_QUERY,
    PERSONAL_GENERATION_KEY,
    entries_full,
    is_stranger,
)

logger = logging.getLogger(__name__)

#: Tables no public page reads: sessions, personal notifications and log-ins, logs, the scheduler.
IGNORED_TABLES = (
    "django_session",
    "django_celery_beat_",
    "notifications_",
    "account_",
    "mfa_",
    "wagtailcore_pagelogentry",
    "wagtailcore_modellogentry",
    "wagtailadmin_",
    "wagtailusers_",
)
#: Of those, the tables no reader's page reads either (cms/tests/test_reader_page.py checks the
#: pages' queries): the session is in a reader's key, the others are logs and the scheduler's.
UNREAD_TABLES = (
    "django_session",
    "django_celery_beat_",
    "wagtailcore_pagelogentry",
    "wagtailcore_modellogentry",
    "wagtailadmin_",
)
#: Of the shown tables, those whose only bearing on a form's page is the counts of places, which the
#: form reads afresh for each request (common.page_cache.shared_form): the applications, the outbox
#: and the counts of channels and e-mails sent (the yearly report shows those, under the pages'
#: generation). A write to them replaces the pages' generation, not the content one; in the
#: opening rush every application writes.
COUNTED_TABLES = (
    "signups_applicant",
    "signups_signup",
    "signups_channelcount",
    "common_outgoingemail",
    "common_outputcount",
)
#: A log-in's own write (Django's `update_last_login`): no page shows when someone last logged in
#: but the admin's list of users, which is never kept. Any other write to the users replaces the
#: generations as before (a name shows on pages).
LAST_LOGIN = re.compile(
    r'^\s*UPDATE\s+"?cms_user"?\s+SET\s+"?last_login"?\s*=\s*\S+\s+WHERE\b', re.IGNORECASE
)
WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
#: Headers a cached page may vary on: the key holds the language, and only cookie-less visitors
#: (as far as the session goes) are served from it.
ALLOWED_VARY = {"cookie", "accept-language"}


def _cache():
    return caches["pages"]


def bump_generation(*keys: str) -> None:
    """Every page cached until now under these generations is out of date: by default the pages'
    and the content's (everything shown); the personal one for readers' pages."""
    generation = uuid.uuid4().hex
    try:
        _cache().set_many(dict.fromkeys(keys or (GENERATION_KEY, CONTENT_GENERATION_KEY), generation), None)
    except Exception:  # the cache being down must not undo a write that has committed
        logger.exception("Could not clear the page cache")


def written_generations(sql: str) -> tuple[str, ...]:
    """The generations a statement replaces: the pages' and the content's (a shown table), the
    pages' alone (a table of applications or of the outbox: COUNTED_TABLES), the personal one (a
    reader's page shows it: the inbox, the header's count), or none (sessions, logs, the scheduler)."""
    match = WRITE.match(sql)
    if not match or LAST_LOGIN.match(sql):
        return ()
    table = match.group(1).lower()
    if not table.startswith(IGNORED_TABLES):
        return (
            (GENERATION_KEY,)
            if table.startswith(COUNTED_TABLES)
            else (GENERATION_KEY, CONTENT_GENERATION_KEY)
        )
    return () if table.startswith(UNREAD_TABLES) else (PERSONAL_GENERATION_KEY,)


def invalidate_on_write(execute, sql, params, many, context):
    """Database execute wrapper: a write to a shown table replaces the generation (a write to a
    personal one, the personal generation), at once (for the rest of this transaction) and again
    after commit (a page rendered meanwhile from the old rows was stored under the generation it
    started with, which is then no longer current)."""
    result = execute(sql, params, many, context)
    keys = written_generations(sql) if settings.PAGE_CACHE_SECONDS else ()
    if keys:
        connection = context["connection"]
        bump_generation(*keys)
        if connection.in_atomic_block:
            for key in keys:
                _bump_after_commit(connection, key)
    return result


def _bump_after_commit(connection, key: str) -> None:
    """Once per transaction and generation: asked of the callbacks still waiting, so a savepoint
    rolled back (which drops its callbacks) leaves no flag behind that would skip the next one."""
    if any(getattr(func, "page_cache_key", None) == key for _ids, func, _robust in connection.run_on_commit):
        return

    def bump():
        bump_generation(key)

    bump.page_cache_key = key
    transaction.on_commit(bump, using=connection.alias)


def install_write_watch(sender, connection, **kwargs):
    """connection_created receiver: watch every statement of this new connection."""
    if invalidate_on_write not in connection.execute_wrappers:
        connection.execute_wrappers.append(invalidate_on_write)


def _language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    try:
        return translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
    except LookupError:
        return settings.LANGUAGE_CODE


def _site_host(request) -> str | None:
    """The request's host when it is the site's (SITE_URL's, or a name of ALLOWED_HOSTS on the
    default port), else None: any port or name Django lets through would otherwise be a new key,
    and a page shows its host (calendar links)."""
    host = request.get_host().lower()
    if host == urlsplit(settings.SITE_URL).netloc.lower():
        return host
    domain, port = split_domain_port(host)
    named = {allowed.lower() for allowed in settings.ALLOWED_HOSTS if not allowed.startswith((".", "*"))}
    return host if not port and domain in named else None


def _keyed_query(request) -> QueryDict:
    """The query parameters that change a shared page (PAGE_CACHE_QUERY_PARAMETERS), in the order
    the address gives them (the page's links keep it; the key sorts them)."""
    keyed = QueryDict(mutable=True)
    for name in request.GET:
        if name in settings.PAGE_CACHE_QUERY_PARAMETERS:
            keyed.setlist(name, request.GET.getlist(name))
    keyed._mutable = False
    return keyed


def _key(request, host, query) -> str:
    # Today's date: listings of upcoming dates and deadlines turn over at midnight.
    ordered = "&".join(sorted(query.urlencode().split("&")))
    path = hashlib.sha256(f"{request.path}?{ordered}".encode()).hexdigest()
    day = timezone.localdate().isoformat()
    return f"page:{request.scheme}:{quote(host)}:{_language(request)}:{day}:{path}"


def _mark_private(request, response) -> None:
    """A logged-in person's response is theirs: no shared cache keeps it, nor the browser's disk."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)


def _storable(request, response) -> bool:
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    control = response.get("Cache-Control", "").lower()
    return (
        getattr(request, ATTRIBUTE, False)
        and request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and vary <= ALLOWED_VARY
        and "private" not in control
        and "no-store" not in control
    )


class PageCacheMiddleware:
    """Serves and stores the shared anonymous pages; see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = _site_host(request) if request.method in ("GET", "HEAD") else None
        if not settings.PAGE_CACHE_SECONDS or host is None or not is_stranger(request):
            response = self.get_response(request)
            _mark_private(request, response)
            return response
        query = _keyed_query(request)
        setattr(request, KEYED_QUERY, query)
        cache = _cache()
        key = _key(request, host, query)
        try:
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY)
            if generation is None:
                cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
                generation = cache.get(GENERATION_KEY)
        except Exception:
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return self._cached(request, *entry[1:])
        response = self.get_response(request)
        if _storable(request, response):
            self._store(cache, key, generation, response)
        return response

    def _store(self, cache, key, generation, response):
        # Browsers and proxies keep the page but ask each time (If-None-Match); see README.
        patch_cache_control(response, no_cache=True)
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        headers = dict(response.items())
        try:
            if entries_full(cache, generation):
                return
            cache.set(key, (generation, headers, response.content), settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Page cache unavailable")

    def _cached(self, request, headers, content):
        if request.META.get("HTTP_IF_NONE_MATCH") == headers["ETag"]:
            response = HttpResponseNotModified()
            for name in ("ETag", "Cache-Control", "Vary", "Content-Language"):
                if name in headers:
                    response[name] = headers[name]
            return response
        response = HttpResponse(b"" if request.method == "HEAD" else content, headers=headers)
        if request.method == "HEAD":
            response["Content-Length"] = str(len(content))
        return response
