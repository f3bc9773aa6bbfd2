"""What each step of the opening rush costs the web process, one person after another.

Usage: .venv/bin/python bench/rush_steps.py [--people N] [--capacity C] [--profile STEP]

The same throwaway PostgreSQL cluster, demo data and popular event as bench/rush.py, but in one
process through django.test.Client with no concurrency: per step (open the form, send it and see
the "sent" page, open the confirmation link and see the application's page) the wall time, the CPU
time of this process (the database's own CPU is not in it), the queries and the tables written.
`--profile form` (and/or apply, confirm) prints cProfile's 30 most expensive functions of that
step and the project's 40, in CPU time, measured on every other person (the figures are the
others'). CPU per person times the arrivals per second is the least CPU the rush needs;
bench/rush.py shows what it gets.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from throwaway_postgres import cluster  # noqa: E402

from bench.rush import _environment, _prepare  # noqa: E402

STEPS = ("form", "apply", "confirm")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)


def _measure(people: int, page_id: int, profile: list[str]) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from coordination.signups import links
    from coordination.signups.models import Applicant

    figures = {step: {"wall": [], "cpu": [], "queries": [], "writes": set()} for step in STEPS}
    profilers = {name: cProfile.Profile(time.process_time) for name in profile}

    def step(name, call, *args, **kwargs):
        profiled = name in profilers and number % 2
        with CaptureQueriesContext(connection) as queries:
            if profiled:
                profilers[name].enable()
            wall, cpu = time.perf_counter(), time.process_time()
            response = call(*args, **kwargs)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if profiled:
                profilers[name].disable()
        for query in queries:
            written = WRITE.match(query["sql"])
            if written:
                figures[name]["writes"].add(written.group(1).lower())
        if not profiled:
            figures[name]["wall"].append(wall)
            figures[name]["cpu"].append(cpu)
            figures[name]["queries"].append(len(queries))
        return response

    url = f"/signups/apply/{page_id}/"
    for number in range(people):
        client = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
        address = f"steps{number:04d}@example.jp"
        form = step("form", client.get, url).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        found = re.search(r'name="slots"(?: value="(\d+)"|[^>]*>\s*<option[^>]*value="(\d+)")', form)
        data = {
            "csrfmiddlewaretoken": token,
            "slots": found.group(1) or found.group(2),
            "name": f"旭 花子{number}",
            "email": address,
            "consent": "on",
            "website": "",
        }
        sent = step("apply", client.post, url, data, follow=True)
        assert "/sent/" in sent.redirect_chain[-1][0], sent.content.decode()[:2000]
        link = f"/signups/{links.applicant_token(Applicant.objects.get(email=address))}/confirm/"
        confirmed = step("confirm", client.get, link, follow=True)
        assert confirmed.status_code == 200
    for name, profiler in profilers.items():
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(30)
        stats.print_stats(rf"{ROOT}/(?!bench)", 40)  # the project's own functions
        print(f"--- {name} ---\n{out.getvalue()}")
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=40)
    parser.add_argument("--profile", choices=STEPS, nargs="*", default=[])
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tsunagu-rush-steps-"))
    with cluster() as server:
        env = _environment(server.rsplit("/", 1)[0] + "/postgres", workdir)
        page_id = _prepare(env, args.capacity)
        os.environ.update(env)
        import django

        django.setup()
        figures = _measure(args.people, page_id, args.profile)
        from django.db import connections

        connections.close_all()

    total_cpu = 0.0
    print(f"people {args.people}, places {args.capacity}, one process, PostgreSQL; per person:")
    for name in STEPS:
        wall, cpu, queries = (figures[name][kind] for kind in ("wall", "cpu", "queries"))
        total_cpu += statistics.mean(cpu)
        print(
            f"{name:<8} wall p50 {statistics.median(wall) * 1000:5.1f} ms"
            f"  mean {statistics.mean(wall) * 1000:5.1f} ms"
            f"   CPU p50 {statistics.median(cpu) * 1000:5.1f} ms  mean {statistics.mean(cpu) * 1000:5.1f} ms"
            f"   queries {statistics.median(queries):.0f}"
            f" (max {max(queries)})   writes {', '.join(sorted(figures[name]['writes'])) or 'nothing'}"
        )
    print(f"SUMMARY rush steps: {total_cpu * 1000:.1f} ms of web-process CPU per person")


if __name__ == "__main__":
    main()
