"""The opening rush: many people register for one popular event in the minute it opens.

Usage: .venv/bin/python bench/rush.py [--people N] [--capacity C] [--window S] [--workers W]

On a throwaway PostgreSQL cluster (production's database) with the demo data and one event taking
C registrations first come, first served, gunicorn serves the site with W workers. N people arrive
at random moments within S seconds; each opens the form, sends it, finds the confirmation e-mail
(the site writes mail to files, through Celery in-process as on the embedded default) and opens its
link at once, as a keen parent would. Then it checks what the people would check: nobody placed
beyond the C places, the first C to apply hold them, nobody's confirmed place was lost (also after
the job that cancels unconfirmed applications has run), and every person got exactly one
confirmation e-mail. All people come from one address here, so the per-address limits are lifted.
"""

import argparse
import email
import email.policy
import http.cookiejar
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from throwaway_postgres import cluster, free_port  # noqa: E402

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
CONFIRM_LINK = re.compile(r"https?://[^\s]+?(/signups/[^/\s]+/confirm/)")


def _environment(database_url: str, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "filemail://",
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        # A page cache of its own: pages of an earlier run's database are never served.
        "PAGE_CACHE_DIR": str(workdir / "page-cache"),
        "SIGNUP_RATE_LIMIT": "100000/h",
        "SIGNUP_UNCONFIRMED_PER_IP": "100000",
    }


def _prepare(env: dict[str, str], capacity: int) -> int:
    """Migrate, load the demo data and publish the popular event; return its page id."""
    script = f"""
from datetime import time, timedelta
from django.core.management import call_command
from django.utils import timezone
from areas.models import AreaPage, PartnerOrganisation
from cms.demo import load_demo_data
from coordination.events.models import EventPage

call_command("migrate", verbosity=0)
load_demo_data(with_accounts=False)
area = AreaPage.objects.get(code="area-01")
event = EventPage(
    title="人気の親子リトミック（先着順）", slug="rush", place="旭区役所 1階", cost="無料",
    start_date=timezone.localdate() + timedelta(days=14), start_time=time(10), end_time=time(11),
    registration="first_come", registration_capacity={capacity},
)
event.organisers = list(PartnerOrganisation.objects.filter(kind="support_hub")[:1])
event.areas = [area]
area.add_child(instance=event)
event.save_revision().publish()
print(event.pk)
"""
    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def _start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "cms.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/ready", timeout=5):
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    sys.exit("gunicorn did not become ready:\n" + log.read_text(errors="replace")[-3000:])


class Mailbox:
    """The mail files the site writes, read back per address.

    One reader thread (`watch`) reads each new or grown file once and hands every person the link
    of their message: 3,000 people each reading every file again and again cost the client more
    than the server's work.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.links: dict[str, str] = {}
        self.seen: dict[Path, int] = {}
        self.arrived = threading.Condition()
        self.stopped = threading.Event()

    def messages(self) -> list:
        found = []
        for path in sorted(self.folder.glob("*.log")) if self.folder.exists() else []:
            for chunk in path.read_bytes().split(SEPARATOR):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return found

    def read_new(self) -> None:
        """Read the files that are new or have grown since the last look."""
        if not self.folder.exists():
            return
        for path in self.folder.glob("*.log"):
            size = path.stat().st_size
            if self.seen.get(path) == size:
                continue
            self.seen[path] = size
            for chunk in path.read_bytes().split(SEPARATOR):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                match = CONFIRM_LINK.search(message.get_body(("plain",)).get_content())
                if match:
                    with self.arrived:
                        self.links.setdefault(message["To"], match.group(1))
                        self.arrived.notify_all()

    def watch(self) -> None:
        while not self.stopped.is_set():
            self.read_new()
            time.sleep(0.1)

    def confirmation_for(self, address: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while address not in self.links:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"no confirmation e-mail for {address}")
                self.arrived.wait(left)
            return self.links[address]


def _person(number: int, at: float, start: float, base: str, page_id: int, mailbox: Mailbox, timings):
    time.sleep(max(0.0, start + at - time.monotonic()))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    address = f"parent{number:04d}@example.jp"
    began = time.perf_counter()
    with opener.open(f"{base}/signups/apply/{page_id}/", timeout=60) as response:
        form = response.read().decode()
    timings["form"].append(time.perf_counter() - began)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    # The next date is chosen for the applicant: a select (one date) or radio buttons.
    found = re.search(r'name="slots"(?: value="(\d+)"|[^>]*>\s*<option[^>]*value="(\d+)")', form)
    slot = found.group(1) or found.group(2)
    data = {
        "csrfmiddlewaretoken": token,
        "slots": slot,
        "name": f"旭 花子{number}",
        "email": address,
        "consent": "on",
        "website": "",
    }
    began = time.perf_counter()
    with opener.open(
        f"{base}/signups/apply/{page_id}/", urllib.parse.urlencode(data).encode(), timeout=60
    ) as sent:
        assert "/sent/" in sent.url, f"{address}: the form came back ({sent.status})"
    timings["apply"].append(time.perf_counter() - began)
    link = mailbox.confirmation_for(address)
    began = time.perf_counter()
    with opener.open(base + link, timeout=60) as confirmed:
        assert confirmed.status == 200
    timings["confirm"].append(time.perf_counter() - began)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * 0.95) - 1)]


def _percentiles(values: list[float]) -> str:
    median, p95, top = statistics.median(values), _p95(values), max(values)
    return f"p50 {median * 1000:6.0f} ms   p95 {p95 * 1000:6.0f} ms   max {top * 1000:6.0f} ms"


def _check(env: dict[str, str], page_id: int, capacity: int) -> str:
    """The outcome as the database has it, after the job that cancels unconfirmed applications."""
    script = f"""
from coordination.signups.models import Signup
from coordination.signups.services.jobs import expire_unconfirmed
rows = Signup.objects.filter(slot__page_id={page_id})
held = set(
    rows.filter(status="placed", applicant__confirmed_at__isnull=False).values_list("applicant", flat=True)
)
expire_unconfirmed()
signups = list(rows.order_by("queued_at", "pk"))
placed = {{s.applicant_id for s in signups if s.status == "placed"}}
first = {{s.applicant_id for s in signups[:{capacity}]}}
waiting = sum(s.status == "waiting" for s in signups)
print(len(signups), len(placed), waiting, placed == first, held <= placed)
"""
    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--capacity", type=int, default=40)
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which people arrive")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tsunagu-rush-"))
    with cluster() as server:
        database_url = server.rsplit("/", 1)[0] + "/postgres"
        env = _environment(database_url, workdir)
        page_id = _prepare(env, args.capacity)
        port = free_port()
        gunicorn = _start_gunicorn(env, port, args.workers, workdir / "gunicorn.log")
        try:
            arrivals_from = random.Random(args.seed)  # noqa: S311 (arrival times, not secrets)
            arrivals = sorted(arrivals_from.uniform(0, args.window) for _ in range(args.people))
            timings = {"form": [], "apply": [], "confirm": []}
            mailbox = Mailbox(workdir / "mail")
            watcher = threading.Thread(target=mailbox.watch, daemon=True)
            watcher.start()
            base = f"http://127.0.0.1:{port}"
            start = time.monotonic()
            failures = []
            lock = threading.Lock()

            def run(number, at):
                try:
                    _person(number, at, start, base, page_id, mailbox, timings)
                except Exception as error:  # a person who could not finish is counted, not fatal
                    with lock:
                        failures.append(f"{number}: {error}")

            threading.stack_size(512 * 1024)  # one thread a person: 3,000 of them
            with ThreadPoolExecutor(max_workers=args.people) as pool:
                for number, at in enumerate(arrivals):
                    pool.submit(run, number, at)
            elapsed = time.monotonic() - start
            mailbox.stopped.set()
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        outcome = _check(env, page_id, args.capacity)

    messages = Mailbox(workdir / "mail").messages()
    shutil.rmtree(workdir, ignore_errors=True)
    per_address: dict[str, int] = {}
    for message in messages:
        if "/confirm/" in message.get_body(("plain",)).get_content():
            per_address[message["To"]] = per_address.get(message["To"], 0) + 1
    total, placed, waiting, first_come, kept = outcome.split()
    # One each for every application taken (a person whose form timed out applied for nothing).
    once = len(per_address) == int(total) and set(per_address.values()) == {1}
    counts = "exactly one each" if once else f"WRONG: {sorted(set(per_address.values()))}"

    print(f"people / places      {args.people} / {args.capacity}, arriving within {args.window:.0f} s")
    print(f"gunicorn workers     {args.workers}, PostgreSQL (throwaway cluster)")
    print(f"finished             {args.people - len(failures)} of {args.people} in {elapsed:.1f} s")
    for name in ("form", "apply", "confirm"):
        if timings[name]:
            print(f"{name:<20} {_percentiles(timings[name])}")
    print(f"applications         {total}  placed {placed}  waiting {waiting}")
    print(f"overbooked           {'no' if int(placed) <= args.capacity else 'YES'}")
    print(f"first come first     {'yes' if first_come == 'True' else 'NO'}")
    print(f"confirmed places     {'all kept' if kept == 'True' else 'SOME LOST'}")
    print(f"confirmation e-mail  {counts}")
    for failure in failures[:5]:
        print("failed:", failure)
    correct = (
        not failures
        and int(placed) == min(args.capacity, args.people)
        and first_come == "True"
        and kept == "True"
        and once
    )
    print("result               " + ("correct" if correct else "WRONG"))
    steps = [name for name in timings if timings[name]]
    met = bool(steps) and all(_p95(timings[name]) < 0.5 for name in steps)
    print(
        f"SUMMARY rush: {args.people} people, {args.capacity} places, {args.workers} workers, "
        f"{elapsed:.0f} s; "
        + ", ".join(f"{name} p95 {_p95(timings[name]) * 1000:.0f} ms" for name in steps)
        + f" (goal < 500 ms each: {'met' if met else 'NOT met'}); "
        + f"overbooked {'no' if int(placed) <= args.capacity else 'YES'}; confirmed places "
        + f"{'all kept' if kept == 'True' else 'SOME LOST'}; e-mails {counts}; "
        + ("correct" if correct else "WRONG")
    )
    sys.exit(0 if correct else 1)


if __name__ == "__main__":
    main()
