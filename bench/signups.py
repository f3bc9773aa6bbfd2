"""Applications per second when many people apply for the same shift at once.

Usage: .venv/bin/python bench/signups.py [--people N] [--threads K] [--capacity C] [--database-url URL]

N applications from K threads for one shift with C places, on a fresh SQLite file
database (the embedded default), each through `services.apply`, whose locking the form's
`apply_online` shares. Every application locks the shift, so they queue; the figures show
what that costs. It checks that exactly C people got a place and the rest wait.
"""

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.start import start_django


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--capacity", type=int, default=30)
    parser.add_argument(
        "--database-url", help="an empty database to use instead of a fresh SQLite file (e.g. PostgreSQL)"
    )
    args = parser.parse_args()

    start_django(args.database_url, EMAIL_URL="consolemail://")
    from datetime import timedelta

    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.utils import timezone

    from areas.models import AreaPage
    from coordination.signups import services
    from coordination.signups.models import Signup, Slot
    from coordination.volunteering.models import PostingShift, VolunteerPostingPage

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # count, do not print
    mail.outbox = []
    area = AreaPage.objects.get(code="area-01")
    today = timezone.localdate()
    posting = VolunteerPostingPage(
        title="ベンチマーク用の募集",
        activity_kind="festival",
        what_you_do="受付",
        schedule="一日",
        place="公園",
        duration="3時間",
        support="あり",
        contact="045-000-0000",
        deadline=today + timedelta(days=5),
    )
    posting.organisers = list(area.partners.all()[:1])
    from datetime import time as clock

    posting.shifts = [
        PostingShift(
            date=today + timedelta(days=7), start_time=clock(10), end_time=clock(13), capacity=args.capacity
        )
    ]
    area.add_child(instance=posting)
    posting.save_revision().publish()
    slot = Slot.objects.get(page=posting)

    per_thread = args.people // args.threads
    barrier = threading.Barrier(args.threads + 1)
    latencies = []
    lock = threading.Lock()

    def work(t):
        barrier.wait()
        for n in range(per_thread):
            start = time.perf_counter()
            services.apply(posting, slot_ids=[slot.pk], name=f"参加者{t}-{n}", email=f"p{t}-{n}@example.jp")
            with lock:
                latencies.append(time.perf_counter() - start)
        connection.close()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(args.threads)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    total = per_thread * args.threads
    placed = Signup.objects.filter(slot=slot, status=Signup.Status.PLACED).count()
    waiting = Signup.objects.filter(slot=slot, status=Signup.Status.WAITING).count()
    latencies.sort()
    print(f"database           {connection.vendor}")
    print(f"applications       {total} from {args.threads} threads, one shift of {args.capacity} places")
    print(f"applications/s     {total / elapsed:.0f}")
    print(
        f"latency p50 / p95  {latencies[len(latencies) // 2] * 1000:.1f} ms / "
        f"{latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms"
    )
    print(f"placed / waiting   {placed} / {waiting}  ({'correct' if placed == args.capacity else 'WRONG'})")
    print(f"e-mails queued     {len(mail.outbox)}")


if __name__ == "__main__":
    main()
