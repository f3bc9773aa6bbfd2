from django.core.management.base import BaseCommand

from cms.search_index import search_reindex


class Command(BaseCommand):
    help = "Rewrite the site search's entries of every live page (after a deployment that changes them)."

    def handle(self, *args, **options):
        self.stdout.write(f"search: {search_reindex()} pages indexed")
