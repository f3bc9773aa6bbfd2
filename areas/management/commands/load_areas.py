from django.core.management.base import BaseCommand

from areas.services import AREAS_CSV, sync_areas
from cms.services import ensure_site


class Command(BaseCommand):
    help = "Create or update the 13 areas and their core partners from areas/data/areas.csv."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(AREAS_CSV), help="CSV file to read")

    def handle(self, *args, **options):
        from pathlib import Path

        _, index = ensure_site()
        counts = sync_areas(index_page=index, path=Path(options["file"]))
        self.stdout.write(
            "areas: {areas_created} created, {areas_updated} updated; "
            "partners: {partners_created} created".format(**counts)
        )
