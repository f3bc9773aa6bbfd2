"""The database's plan for every query of the logged-in pages, with ten years of history: which
tables are read whole (a scan) where an index could answer.

Usage: .venv/bin/python bench/plans.py [--no-history] [--database-url URL]

Loads the demo data and (unless --no-history) bench/history.py's ten years on a fresh SQLite
file or the empty database given by URL, logs in as the demo partner, captures the queries of
the dashboard and the inbox (and of the public area page and events list, rendered once), and
prints each query's plan: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN. A line marked
`SCAN` reads a whole table; small tables (areas, organisations, groups, sites) are expected to.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.start import start_django

#: Tables with tens of thousands of rows or more once the history is loaded.
BIG_TABLES = (
    "wagtailcore_page",
    "wagtailcore_pageviewrestriction",
    "events_eventdate",
    "signups_signup",
    "signups_applicant",
    "signups_slot",
    "activity_session",
    "meetings_",
    "notifications_",
)


def _plan(connection, sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def _scans_big_table(line: str) -> bool:
    words = line.replace('"', " ").split()
    scanning = (words[:1] == ["SCAN"]) or ("Seq" in words and "Scan" in words)
    return scanning and any(word.startswith(BIG_TABLES) for word in words)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-history", action="store_true")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    start_django(args.database_url)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from areas.models import AreaPage
    from cms.demo import load_demo_data
    from cms.models import User

    # The demo's people and activities, before the history (which fills the partners' inboxes).
    load_demo_data(with_accounts=True)
    partner = User.objects.get(email="partner@tsunagu.example")
    if not args.no_history:
        from bench.history import load_history

        started = time.perf_counter()
        loaded = load_history()
        print(f"history loaded in {time.perf_counter() - started:.0f} s: {loaded}")
    setup_test_environment()
    client = Client()
    client.force_login(partner)
    pages = {
        "dashboard": "/dashboard/",
        "inbox": "/notifications/",
        "area page": AreaPage.objects.get(code="area-01").url,
        "events list": "/events/list/",
    }
    big_scans = 0
    for name, url in pages.items():
        client.get(url)  # fill the shared fragments first, as a running site has them
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        print(f"\n== {name} ({url}): {len(captured)} queries")
        for number, query in enumerate(captured, 1):
            plan = _plan(connection, query["sql"], ())
            flagged = [line for line in plan if _scans_big_table(line)]
            big_scans += len(flagged)
            print(f"{number:>3}. {query['sql'][:110]}")
            for line in plan:
                print(f"       {'!' if line in flagged else ' '} {line}")
    print(f"\nscans of a big table: {big_scans}")


if __name__ == "__main__":
    main()
