"""Print database queries and time per public page, on a throw-away SQLite database with the demo data.

.venv/bin/python bench/pages.py [--requests N]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50, help="requests per page for the timing")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="tsunagu-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DEBUG"] = "False"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["STATIC_ROOT"] = workdir

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from areas.models import AreaPage
    from cms.demo import _demo_activities, load_demo_data
    from coordination.events.models import EventPage
    from coordination.volunteering.models import VolunteerPostingPage

    call_command("migrate", verbosity=0)
    load_demo_data(with_accounts=False)
    _demo_activities()  # a posting, a providing-member recruitment, an event taking registrations
    setup_test_environment()

    client = Client()
    area = AreaPage.objects.get(code="area-02")
    posting = VolunteerPostingPage.objects.filter(posting_type="volunteer").get()
    event = EventPage.objects.get()
    pages = {
        "home": "/",
        "area index": "/areas/",
        "area page": area.url,
        "search": "/search/?q=白根エリア",
        "area page with activities": AreaPage.objects.get(code="area-01").url,
        "volunteer list": "/volunteer/",
        "posting": posting.url,
        "apply form": f"/signups/apply/{posting.pk}/",
        "event": event.url,
        "events month": "/events/",
    }
    print(f"{'page':<28} {'queries':>8} {'req/s':>8}")
    for name, url in pages.items():
        client.get(url)  # warm caches (site root paths, templates)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        count = len(queries)  # read now: the next request resets the query log
        start = time.perf_counter()
        for _ in range(args.requests):
            client.get(url)
        rate = args.requests / (time.perf_counter() - start)
        print(f"{name:<28} {count:>8} {rate:>8.1f}")


if __name__ == "__main__":
    main()
