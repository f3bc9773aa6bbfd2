import logging
import traceback

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http.request import split_domain_port
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.defaults import bad_request
from wagtail.models import Site

from common import links
from common.page_cache import shared_fragment

logger = logging.getLogger(__name__)
#: Where widgets and formsets read posted data: an error raised there is the post's, not ours.
READING_POSTED_DATA = {"value_from_datadict", "management_form", "total_form_count"}


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Japanese unless the visitor picked another language with the switcher.

    The content is written in Japanese, so a phone set to English should not turn the
    interface around it into English by itself: the browser's Accept-Language is ignored
    and only the language cookie set by the switcher counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        """Vary on what chose the language, the cookie; never on Accept-Language, which is
        ignored, so a cache or calendar app does not keep one copy per browser language."""
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy for the site; the Wagtail admin adds what its editor still needs
    (`CONTENT_SECURITY_POLICY_ADMIN_UPDATE`), so the public pages keep the strict policy."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/admin/") and parts.update is None:
            parts.update = settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE
        return parts


class CachedSiteMiddleware:
    """Wagtail finds the request's Site with a query on every request that links to a page; the
    answer is the same for every request to a host until a Site changes, so it is kept in the
    page cache and cleared with it (any write to `wagtailcore_site` replaces the generation).
    After CommonMiddleware, which has checked the host against ALLOWED_HOSTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hostname, port = split_domain_port(request.get_host())[0], request.get_port()
        request._wagtail_site = shared_fragment(
            f"site:{hostname}:{port}", lambda: Site._find_for_request(request), counts=False
        )
        return self.get_response(request)


class MalformedFormMiddleware:
    """A form post that lacks what its own form always sends (a StreamField's `-count`, a list's
    `-TOTAL_FORMS`) was not made by the page: answer 400, as Django does for a bad request, not
    500. Only errors raised while a widget reads the posted data are taken for that; any other error
    is a fault of ours and stays a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not isinstance(
            exception, (KeyError, ValueError, TypeError, IndexError)
        ):
            return None
        frames = {frame.f_code.co_name for frame, _line in traceback.walk_tb(exception.__traceback__)}
        if frames.isdisjoint(READING_POSTED_DATA):
            return None
        logger.warning("Malformed form post to %s: %r", request.path, exception)
        return bad_request(request, exception)


class ChannelCookieMiddleware:
    """A page opened from a link or QR code with `?ch=<code>` keeps the code for a couple of hours
    in a cookie, so that the form sent a few pages later counts under that channel
    (common.links). Outside the page cache: a cached page sets it too, and the page itself never
    shows the code (the cache keys and serves pages without it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read before the page cache hands the view only the parameters that key a shared page.
        code = links.channel_code(request.GET.get(links.CHANNEL_PARAMETER)) if request.method == "GET" else ""
        response = self.get_response(request)
        if code and response.status_code < 400:
            response.set_cookie(
                links.CHANNEL_COOKIE,
                code,
                max_age=links.CHANNEL_COOKIE_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
