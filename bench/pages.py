"""Print database queries and time per public page, on a throw-away SQLite database with the demo data.

.venv/bin/python bench/pages.py [--requests N]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.start import start_django  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50, help="requests per page for the timing")
    args = parser.parse_args()

    start_django(None)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from areas.models import AreaPage
    from cms.demo import _demo_activities
    from coordination.events.models import EventPage
    from coordination.volunteering.models import VolunteerPostingPage

    _demo_activities()  # a posting, a providing-member recruitment, an event taking registrations
    setup_test_environment()

    client = Client()
    area = AreaPage.objects.get(code="area-02")
    posting = VolunteerPostingPage.objects.live().filter(posting_type="volunteer").order_by("pk").first()
    event = EventPage.objects.live().order_by("pk").first()
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
