from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms import signals
        from cms.logs import request_ended
        from cms.page_cache import install_write_watch
        from cms.search_index import search_index_fill
        from cms.services import sync_site_address
        from cms.sqlite import analyze_sqlite

        # At every start of a deployment (the migrate step), the Site follows SITE_URL.
        post_migrate.connect(sync_site_address, sender=self, dispatch_uid="sync-site-address")
        request_finished.connect(request_ended, dispatch_uid="forget-request-id")
        post_migrate.connect(search_index_fill, sender=self, dispatch_uid="search-index-fill")
        # SQLite's query planner needs statistics (cms/sqlite.py).
        post_migrate.connect(analyze_sqlite, sender=self, dispatch_uid="sqlite-analyze")
        page_published.connect(signals.page_published, dispatch_uid="search-index-published")
        page_unpublished.connect(signals.page_unpublished, dispatch_uid="search-index-unpublished")
        post_page_move.connect(signals.page_moved, dispatch_uid="search-index-moved")
        # Any write a public page might show clears the page cache, in every process.
        connection_created.connect(install_write_watch, dispatch_uid="page-cache-write-watch")
