"""The in-process cost of a reader's page (issue 30): a miss (rendered from the shared fragments)
and a hit (the kept page, cms/reader_page.py), per logged-in page, with the queries of each.

Usage: .venv/bin/python bench/reader_pages.py [--rounds N] [--database-url URL] [--history]

Builds the same database as bench/http_load.py (production settings, the demo data, with
`--history` ten years more), then reads each logged-in page through Django's test client: before
each miss the personal generation is replaced (as any notification does), which leaves the
shared fragments in place. Prints the median CPU milliseconds of the process per request (wall
time on a shared machine counts the others' work) and the queries.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench.http_load import LOGGED_IN, _environment, _prepare  # noqa: E402


def _measure(client, path, before=None) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        started = time.process_time()
        response = client.get(path)
        spent = time.process_time() - started
    assert response.status_code == 200, path
    return spent * 1000, len(captured)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database-url", help="an empty database (or one holding the history already)")
    parser.add_argument("--history", action="store_true")
    args = parser.parse_args()
    args.redis = False
    env = _environment(args, Path(tempfile.mkdtemp(prefix="tsunagu-reader-")))
    pages, _queries = _prepare(env, args.history)

    from django.test import Client

    from cms.page_cache import bump_generation
    from common.page_cache import PERSONAL_GENERATION_KEY

    print(f"{'page':<16} {'miss ms':>8} {'queries':>8} {'hit ms':>8} {'queries':>8}")
    for name in LOGGED_IN:
        path, cookie = pages[name]
        client = Client()
        for part in cookie.split("; "):
            key, value = part.split("=", 1)
            client.cookies[key] = value
        client.get(path)
        misses, hits = [], []
        for _ in range(args.rounds):
            misses.append(_measure(client, path, lambda: bump_generation(PERSONAL_GENERATION_KEY)))
            hits.append(_measure(client, path))
        miss, hit = (statistics.median(spent for spent, _count in found) for found in (misses, hits))
        print(f"{name:<16} {miss:>8.1f} {misses[-1][1]:>8} {hit:>8.2f} {hits[-1][1]:>8}", flush=True)


if __name__ == "__main__":
    main()
