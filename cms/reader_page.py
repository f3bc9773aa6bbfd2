"""A reader's page kept whole, never stale (issue 30; docs/decisions.md, "A reader's page").

The logged-in pages much read (the dashboard, the inbox, an area page, the events list, the yearly
report) mark themselves with `common.page_cache.reader_page`. Their whole 200 response is kept in
the "pages" cache under a key made of everything the page depends on besides the data: the
session's key and a hash of all it holds (log-in, the second factor, messages, passed password
restrictions), the CSRF cookie (the page's forms carry a token for it), the user's pk, the
language, today's date, the host, the path and the query string. It is served only while both
the page cache's generation (any write to a shown table) and the personal generation (any write to
notifications, log-ins, e-mail addresses, authenticators, profiles) are the ones it was stored
under. A hit costs one session read and one cache round trip: it is answered before the log-in,
CSRF, messages and every later middleware, and loads no user.
"""

import hashlib
import json
import logging
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from cms.page_cache import _language, _site_host
from common.page_cache import GENERATION_KEY, PERSONAL_GENERATION_KEY, READER_ATTRIBUTE, entries_full

logger = logging.getLogger(__name__)
#: Wagtail's admin (as areas.middleware.AdminRequiresMFAMiddleware names it) keeps no reader's page.
ADMIN_PREFIX = "/admin/"


def _key(request, host: str, data: dict) -> str:
    """Everything a reader's page depends on besides the data the two generations watch."""
    session = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    parts = (
        request.session.session_key,
        session,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        str(data[SESSION_KEY]),
        _language(request),
        timezone.localdate().isoformat(),
        request.scheme,
        host,
        request.path,
        request.META.get("QUERY_STRING", ""),
    )
    return "reader:" + hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _generations(cache, found: dict) -> tuple[str | None, str | None]:
    """The two current generations, started if the cache has none (emptied, Redis restarted)."""
    current = []
    for name in (GENERATION_KEY, PERSONAL_GENERATION_KEY):
        value = found.get(name)
        if value is None:
            cache.add(name, uuid.uuid4().hex, None)
            value = cache.get(name)
        current.append(value)
    return tuple(current)


def _renews_csrf_only(request, response) -> bool:
    """The response sets no cookie but the CSRF cookie the request already carries (Django sends it
    again with every page that holds a form, to renew its age)."""
    sent = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    for name, morsel in response.cookies.items():
        if name != settings.CSRF_COOKIE_NAME or morsel.value != sent:
            return False
    return True


def _storable(request, response, user_id) -> bool:
    user = getattr(request, "user", None)
    return (
        getattr(request, READER_ATTRIBUTE, False)
        and request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not request.session.modified  # messages read or stored, a log-in, a new second factor
        and _renews_csrf_only(request, response)
        and user is not None
        and user.is_authenticated
        and str(user.pk) == str(user_id)
    )


class ReaderPageMiddleware:
    """Serves and keeps the pages marked `reader_page`; see the module's docstring. Right after
    SessionMiddleware: the session is there, nothing of the reader is loaded yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method not in ("GET", "HEAD")
            or request.path_info.startswith(ADMIN_PREFIX)  # never kept: no lookup for its many requests
            or settings.SESSION_COOKIE_NAME not in request.COOKIES
            or CookieStorage.cookie_name in request.COOKIES  # messages waiting to be shown
            or (host := _site_host(request)) is None
        ):
            return self.get_response(request)
        data = dict(request.session.items())  # the one session read; the view reads it from here
        if SESSION_KEY not in data:  # logged out, expired, or never logged in: Django's empty session
            return self.get_response(request)
        cache = caches["pages"]
        key = _key(request, host, data)
        try:
            found = cache.get_many([GENERATION_KEY, PERSONAL_GENERATION_KEY, key])
            generations = _generations(cache, found)
        except Exception:
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry[0] == generations:
            return self._kept(request, *entry[1:])
        response = self.get_response(request)
        if None not in generations and _storable(request, response, data[SESSION_KEY]):
            self._store(cache, key, generations, response)
        return response

    def _store(self, cache, key, generations, response):
        patch_cache_control(response, private=True, no_store=True)
        headers = {name: value for name, value in response.items() if name.lower() != "set-cookie"}
        renew_csrf = settings.CSRF_COOKIE_NAME in response.cookies
        try:
            if entries_full(cache, ":".join(generations), "readers"):
                return
            cache.set(key, (generations, headers, response.content, renew_csrf), settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Page cache unavailable")

    def _kept(self, request, headers, content, renew_csrf):
        response = HttpResponse(b"" if request.method == "HEAD" else content, headers=headers)
        if request.method == "HEAD":
            response["Content-Length"] = str(len(content))
        if renew_csrf:  # as CsrfViewMiddleware does for the rendered page
            response.set_cookie(
                settings.CSRF_COOKIE_NAME,
                request.COOKIES[settings.CSRF_COOKIE_NAME],
                max_age=settings.CSRF_COOKIE_AGE,
                domain=settings.CSRF_COOKIE_DOMAIN,
                path=settings.CSRF_COOKIE_PATH,
                secure=settings.CSRF_COOKIE_SECURE,
                httponly=settings.CSRF_COOKIE_HTTPONLY,
                samesite=settings.CSRF_COOKIE_SAMESITE,
            )
        return response
