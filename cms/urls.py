from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from django.views.i18n import set_language
from django_ratelimit.decorators import ratelimit
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from areas.views import find_area
from cms import views
from cms.documents import serve_document
from coordination.evaluation.sitemaps import EvaluationSitemap

SITEMAPS = {"pages": PageSitemap, "evaluation": EvaluationSitemap}


def _page_password_rate(group, request):
    return settings.PAGE_PASSWORD_RATE_LIMIT


def _password_limited(view):
    return ratelimit(group="page-passwords", key="ip", rate=_page_password_rate, method="POST")(view)


urlpatterns = [
    # The switcher carries no CSRF token, so the pages around it hold nothing personal and can be
    # cached; a forged switch changes only a language cookie (docs/decisions.md, "Page cache").
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    # One way in: Wagtail's own log-in and password reset would skip the second factor, allauth's
    # rate limits and e-mail verification, so they hand over to allauth's pages.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    re_path(r"^admin/password_reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    # The same for the site's own log-in that `wagtail.urls` mounts (a plain Django LoginView).
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    # A page's or a collection's password opens that page or those documents for the session and
    # logs nobody in; it is guessed no faster than PAGE_PASSWORD_RATE_LIMIT per address.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        _password_limited(wagtail_views.authenticate_with_password),
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        _password_limited(wagtaildocs_serve.authenticate_with_password),
        name="wagtaildocs_authenticate_with_password",
    ),
    path("admin/", include(wagtailadmin_urls)),
    re_path(r"^documents/(\d+)/(.*)$", serve_document),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path("find-your-area/", find_area, name="find_area"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("partners/", include("areas.urls")),
    path("notifications/", include("coordination.notifications.urls")),
    path("meetings/", include("coordination.meetings.urls")),
    path("events/", include("coordination.events.urls")),
    path("signups/", include("coordination.signups.urls")),
    path("volunteer/", include("coordination.volunteering.urls")),
    path("activity/", include("coordination.activity.urls")),
    path("line/", include("coordination.line.urls")),
    path("newsletter/", include("cms.newsletter.urls")),
    path("evaluation/", include("coordination.evaluation.urls")),
    # The site's public pages, and the published evaluation documents (coordination.evaluation).
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    from django.views.static import serve

    # Images only: documents are served by Wagtail's own view, which checks who may read them.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:images|original_images)/.*)$", serve, {"document_root": settings.MEDIA_ROOT}
        ),
    ]

urlpatterns += [path("", include(wagtail_urls))]
