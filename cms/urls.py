from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from areas.views import find_area
from cms import views
from cms.documents import serve_document

urlpatterns = [
    # The switcher carries no CSRF token, so the pages around it hold nothing personal and can be
    # cached; a forged switch changes only a language cookie (docs/decisions.md, "Page cache").
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    # One way in: Wagtail's own log-in and password reset would skip the second factor, allauth's
    # rate limits and e-mail verification, so they hand over to allauth's pages.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    re_path(r"^admin/password_reset/", RedirectView.as_view(pattern_name="account_reset_password")),
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
    path("sitemap.xml", sitemap, name="sitemap"),
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
