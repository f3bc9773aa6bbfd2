"""How long one weekly LINE run takes for N followers, and how many Messaging API calls it makes.

Usage: .venv/bin/python bench/line_weekly.py [--followers 10000] [--database-url URL]

Runs against the local fake of the Messaging API (coordination/line/fake_api.py), never LINE: a
thread on a loopback port that answers as the API does. Loads the demo data on a fresh SQLite file
(or the empty database given), adds N followers whose choices are spread over the 13 areas, the
age bands and the three interests, then times the three steps of the run in this process: planning
(one message per choice with something to tell), admitting within the month's budget, and sending
every batch by multicast (up to 500 recipients per call). A real run does the sends in Celery
workers, in parallel; this one sends them one after the other, so the time is an upper bound.
"""

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.start import start_django
from coordination.line.fake_api import FakeLineAPI

TOKEN = "bench-token"  # noqa: S105 (the fake's token)
BANDS = ["pregnancy", "age_0", "age_1", "age_2", "age_3_plus", "supporter"]
INTERESTS = ["events", "volunteering", "training"]


def _followers(count: int, rng: random.Random) -> None:
    from areas.models import AreaPage
    from coordination.line.models import Follower

    areas = list(AreaPage.objects.values_list("pk", flat=True))
    followers = Follower.objects.bulk_create(
        Follower(
            line_user_id=f"U{n:032x}",
            bands=rng.sample(BANDS, rng.choice([1, 1, 2])),
            interests=rng.sample(INTERESTS, rng.choice([1, 2, 3])),
            step=Follower.Step.DONE,
        )
        for n in range(count)
    )
    through = Follower.areas.through
    through.objects.bulk_create(
        through(follower_id=f.pk, areapage_id=area)
        for f in followers
        for area in rng.sample(areas, rng.choice([1, 1, 2]))
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    api = FakeLineAPI(token=TOKEN, quota=None).start()
    start_django(
        args.database_url,
        LINE_CHANNEL_SECRET="bench-secret",  # noqa: S106 (the fake's secret)
        LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
        LINE_API_BASE=api.url,
    )
    from cms.demo import load_demo_data
    from coordination.line import outbox, planning, quota
    from coordination.line.models import LineBatch, LineBudget

    load_demo_data(with_accounts=True)  # the demo's events and postings: what the picks are made of

    LineBudget.objects.update_or_create(pk=1, defaults={"monthly_budget": 10 * args.followers})
    _followers(args.followers, random.Random(29))  # noqa: S311 (a spread of choices, not a secret)

    started = time.perf_counter()
    planned = planning.weekly_plan()
    planned_at = time.perf_counter()
    admitted = quota.admit()
    admitted_at = time.perf_counter()
    for batch_id in admitted:
        outbox.batch_send(batch_id=batch_id)
    finished = time.perf_counter()
    api.stop()

    calls = Counter(request["path"] for request in api.requests)
    reached = len({user_id for user_id, _messages in api.delivered})
    print(
        f"followers: {args.followers}, messages planned: {planned} "
        "(followers whose choices pick the same items share one)"
    )
    print(f"batches: {LineBatch.objects.count()}, sent: {LineBatch.objects.filter(state='sent').count()}")
    print(f"followers reached: {reached}, messages counted by LINE: {api.used}")
    print(
        f"API calls: {sum(calls.values())} — " + ", ".join(f"{path} {n}" for path, n in sorted(calls.items()))
    )
    print(
        f"time: {finished - started:.2f} s (plan {planned_at - started:.2f} s, admit "
        f"{admitted_at - planned_at:.2f} s, send {finished - admitted_at:.2f} s)"
    )
    took = finished - started
    print(
        f"SUMMARY line_weekly: {args.followers} followers, {reached} reached in {took:.1f} s, one process "
        f"(goal < 30 s: {'met' if took < 30 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
