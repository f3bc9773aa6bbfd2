from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from cms.page_cache import install_write_watch
        from cms.services import sync_site_address

        # At every start of a deployment (the migrate step), the Site follows SITE_URL.
        post_migrate.connect(sync_site_address, sender=self, dispatch_uid="sync-site-address")
        # Any write a public page might show clears the page cache, in every process.
        connection_created.connect(install_write_watch, dispatch_uid="page-cache-write-watch")
