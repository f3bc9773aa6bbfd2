from pathlib import Path

from django.core.management.base import BaseCommand

from areas.loading import AREAS_CSV
from cms.services import load_areas


class Command(BaseCommand):
    help = "Create or update the 13 areas and their core partners from areas/data/areas.csv."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(AREAS_CSV), help="CSV file to read")

    def handle(self, *args, **options):
        counts = load_areas(path=Path(options["file"]))
        self.stdout.write(
            "areas: {areas_created} created, {areas_updated} updated; "
            "partners: {partners_created} created".format(**counts)
        )
