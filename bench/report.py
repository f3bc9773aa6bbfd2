"""The yearly report on many sessions: its database queries and the time of the page and exports.

Usage: .venv/bin/python bench/report.py [--sessions N] [--years Y] [--rounds R] [--database-url URL]

N sessions (default 20,000) spread over Y fiscal years (default 5) and the 13 areas of the demo
site (one in ten held for two areas, one in twenty ward-wide), on a fresh SQLite file (the
embedded default) or an empty database given by URL. The report of the last year is then asked
R times as a network admin (ward-wide) and as a coordinator of two areas, as the page, CSV,
workbook and PDF; the number of queries is printed for a first fill of 1,000 sessions and for
all N, so a count that grows with the data shows at once.

Then the evaluation document of that year (the demo's, coordination.evaluation): each goal's
figures drafted again from the sessions (as the admin form does for an empty one), a revision
published, and the public page, the PDF and the Word file asked R times by a visitor: the time
and the queries of each, and of the drafting.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

# The project root in place of bench/, whose http.py would shadow the standard library.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.start import start_django  # noqa: E402

FIRST_FILL = 1_000


def make_sessions(count, years, last_year, rng):
    """`count` recorded sessions over the fiscal years up to `last_year`, in bulk."""
    from django.utils import timezone

    from areas.models import AreaPage
    from coordination.activity.models import Facility, ProgrammeType, Session

    areas = list(AreaPage.objects.values_list("pk", flat=True))
    types = list(ProgrammeType.objects.values_list("pk", flat=True))
    # Half the sessions at one of 20 facilities, the others at a place as written (old rows).
    for n in range(20 - Facility.objects.count()):
        Facility.objects.create(name=f"施設{n}", kind=rng.choice(Facility.Kind.values))
    facilities = [*Facility.objects.values_list("pk", flat=True), None]
    first = date(last_year - years + 1, 4, 1)
    span = (date(last_year + 1, 3, 31) - first).days
    now = timezone.now()
    sessions, placed = [], []
    for n in range(count):
        day = first + timedelta(days=rng.randrange(span + 1))
        start = clock(rng.choice((10, 13, 18)))
        sessions.append(
            Session(
                programme_type_id=rng.choice(types),
                date=day,
                start_time=start,
                title=f"出張ひろば 第{n}回",
                place=f"会場{rng.randrange(40)}",
                facility_id=rng.choice(facilities) if n % 2 else None,
                is_sunday=day.weekday() == 6,
                is_saturday=day.weekday() == 5,
                is_evening=start >= clock(17),
                adults=rng.randrange(3, 20),
                children_1=rng.randrange(0, 15),
                children_3_plus=rng.randrange(0, 10),
                recorded_at=now,
            )
        )
        held = [] if n % 20 == 0 else rng.sample(areas, 2 if n % 10 == 0 else 1)
        placed.append(held)
    made = Session.objects.bulk_create(sessions, batch_size=2000)
    through = Session.areas.through
    rows = [
        through(session_id=session.pk, areapage_id=area)
        for session, held in zip(made, placed, strict=True)
        for area in held
    ]
    through.objects.bulk_create(rows, batch_size=5000)
    return len(made)


def measure(client, path, query, rounds):
    """(queries of one request, p50 ms, p95 ms, p50 CPU ms). The CPU time is this process's, so
    it says what a request costs even when the shared machine is busy (the wall time grows with
    the load, the CPU time much less)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, query)
    count = len(captured)  # read now: the next request resets the query log
    assert response.status_code == 200, (path, response.status_code)
    times, cpu = [], []
    for _ in range(rounds):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(path, query)
        times.append(1000 * (time.perf_counter() - began))
        cpu.append(1000 * (time.process_time() - began_cpu))
    times.sort()
    return (
        count,
        statistics.median(times),
        times[max(0, round(0.95 * len(times)) - 1)],
        statistics.median(cpu),
    )


def redraft_document(fiscal_year):
    """The year's document with each goal's figures drafted from the ledger again, published as a
    new revision; (queries, ms) of the drafting."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coordination.evaluation.models import EvaluationDocument
    from coordination.evaluation.services import figures_draft

    document = EvaluationDocument.objects.get(fiscal_year=fiscal_year)
    goals = list(document.goals.prefetch_related("programme_types"))
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        for goal in goals:
            goal.figures = figures_draft(programme_types=goal.programme_types.all(), fiscal_year=fiscal_year)
    drafted = len(captured), 1000 * (time.perf_counter() - began)
    for goal in goals:
        goal.save(update_fields=["figures"])
    document.refresh_from_db()
    document.save_revision(log_action=False).publish()
    return drafted


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="an empty database to use instead of a fresh SQLite file")
    args = parser.parse_args()

    start_django(args.database_url)
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from areas.models import AreaPage, Membership
    from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
    from cms.demo_evaluation import load_demo_evaluation
    from common.fiscal import fiscal_year

    setup_test_environment()
    last_year = fiscal_year(date.today()) - 1
    rng = random.Random(13)  # noqa: S311 - the same sessions on every run, not a secret
    admin = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.NETWORK_ADMIN).user
    two = list(AreaPage.objects.filter(code__in=["area-01", "area-02"]))
    coordinator = MembershipFactory(
        organisation=OrganisationFactory(areas=two), role=Membership.Role.COORDINATOR, coordinated_areas=two
    ).user
    readers = {"admin": Client(), "coordinator": Client()}
    log_in_with_second_factor(readers["admin"], admin)
    log_in_with_second_factor(readers["coordinator"], coordinator)
    pages = {
        "page": reverse("activity:report"),
        "csv": reverse("activity:report_export", args=["csv"]),
        "xlsx": reverse("activity:report_export", args=["xlsx"]),
        "pdf": reverse("activity:report_export", args=["pdf"]),
    }
    load_demo_evaluation()  # last year's document, published, and this year's draft
    visitor = Client()
    documents = {
        "page": reverse("evaluation:detail", args=[last_year]),
        "pdf": reverse("evaluation:file", args=[last_year, "pdf"]),
        "docx": reverse("evaluation:file", args=[last_year, "docx"]),
    }

    def warm():
        """Each reader asks a page once after the data changed: a write empties the site's shared
        fragments (cms.page_cache), and their rebuilding is no query of the data's."""
        for client in [*readers.values(), visitor]:
            client.get(pages["page"] if client is not visitor else reverse("evaluation:list"))

    print(f"database           {connection.vendor}")
    made = 0
    for fill in (min(FIRST_FILL, args.sessions), args.sessions):
        start = time.perf_counter()
        with transaction.atomic():
            made += make_sessions(fill - made, args.years, last_year, rng)
        print(
            f"sessions           {made} over {args.years} years ({time.perf_counter() - start:.1f} s to make)"
        )
        warm()
        print(f"{'reader':<12} {'file':<6} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>8}")
        for reader, client in readers.items():
            for name, path in pages.items():
                queries, p50, p95, cpu = measure(client, path, {"year": last_year}, args.rounds)
                print(f"{reader:<12} {name:<6} {queries:>8} {p50:>8.0f} {p95:>8.0f} {cpu:>8.0f}")
        queries, took = redraft_document(last_year)
        warm()
        print(f"{'document':<12} {'draft':<6} {queries:>8} {took:>8.0f} {took:>8.0f}")
        for name, path in documents.items():
            queries, p50, p95, cpu = measure(visitor, path, {}, args.rounds)
            print(f"{'document':<12} {name:<6} {queries:>8} {p50:>8.0f} {p95:>8.0f} {cpu:>8.0f}")
        print(f"load average       {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
