"""Time one notification fanned out to N partner members by real Celery workers on a real redis-server.

.venv/bin/python bench/fanout.py [--members N] [--workers K] [--pool solo|prefork]
                                 [--backend file|locmem] [--timeout SECONDS] [--keep]
                                 [--sweep-every SECONDS]

Everything is thrown away afterwards: a temporary directory holds the SQLite database, the
redis-server (127.0.0.1 only, no persistence), the worker logs and the mail files. The script
creates N members in one organisation, starts K `celery -A cms worker` processes, calls
`notify(kind="new_minutes", audience="network_partners")` in a transaction and polls the
database until every e-mail delivery is sent (or failed), then prints the figures.

Workers: K separate processes with `--pool solo` by default. On the two-core machine solo was
faster than `--pool prefork --concurrency 1` per process (which adds a child process and a pipe
between parent and child for every task): 2,000 members, two workers, 279 and 287 against 248
and 215 e-mails/s (figures vary by a third from run to run). Try `--pool prefork` to compare.

Mail backend: `file` (Django's filebased backend) by default, so the messages really written
can be counted afterwards (one line of 79 dashes ends each message); `locmem` keeps them in the
worker's memory, where this script cannot count them.

Sweeps: `--sweep-every S` queues the stuck-work sweep every S seconds while the send runs, as beat
does; with a short `DELIVERY_STUCK_SECONDS` in the environment the sweep then runs while deliveries
are still being sent, which is how a send with no fault at all could duplicate (issue 31). The
"duplicates" line compares the messages written with the e-mail deliveries sent.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BACKENDS = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
MESSAGE_SEPARATOR = b"-" * 79
TITLE = "ベンチマーク: 議事録を公開しました"
POLL_EVERY = 0.2
PROGRESS_EVERY = 5.0
REDIS_START_TIMEOUT = 10.0
WORKER_START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
#: Issue 30: the weekly send, 10,000 e-mails by one worker.
GOAL_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    """A redis-server on a free loopback port, answering PING; returns the process and its URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + REDIS_START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            pass
        time.sleep(0.05)
    stop(process)
    raise SystemExit(f"redis-server did not start on port {port}")


def start_worker(number: int, pool: str, log_path: Path) -> subprocess.Popen:
    """`celery -A cms worker` in its own process, with this process's environment."""
    command = [sys.executable, "-m", "celery", "-A", "cms", "worker", "--loglevel", "INFO"]
    command += ["--pool", pool] + (["--concurrency", "1"] if pool == "prefork" else [])
    command += ["--without-heartbeat", "--without-mingle", "--without-gossip"]
    command += ["--hostname", f"bench{number}-{os.getpid()}@%h"]
    # The worker's "ready." line is logged at INFO: the project's LOG_LEVEL would hide it.
    env = {**os.environ, "LOG_LEVEL": "INFO"}
    with log_path.open("wb") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def wait_until_ready(workers: list[subprocess.Popen], logs: list[Path]) -> None:
    """Wait for every worker's "<hostname> ready." log line; give up after a minute."""
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if any(worker.poll() is not None for worker in workers):
            raise SystemExit("a worker exited while starting:\n" + tails(logs))
        if all(b" ready." in log.read_bytes() for log in logs):
            return
        time.sleep(0.1)
    raise SystemExit("the workers did not become ready:\n" + tails(logs))


def tails(logs: list[Path], lines: int = 20) -> str:
    return "\n".join(
        f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) for log in logs
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


def fan_out_task_seconds(logs: list[Path]) -> str:
    """How long the fan_out task ran, from the worker's "succeeded in" log line."""
    pattern = re.compile(rb"tasks\.fan_out\[[^]]+\] succeeded in ([0-9.]+)s")
    for log in logs:
        match = pattern.search(log.read_bytes())
        if match:
            return f"{float(match[1]):.2f}"
    return "-"


def count_messages(folder: Path) -> int:
    """Messages the filebased backend wrote: each one ends with a line of 79 dashes."""
    count = 0
    for path in folder.glob("*.log"):
        with path.open("rb") as file:
            count += sum(1 for line in file if line.rstrip(b"\r\n") == MESSAGE_SEPARATOR)
    return count


def create_members(count: int) -> None:
    """N users with unusable passwords, each a member of the same organisation.

    bulk_create sends no post_save signals, so areas.signals does not recompute each person's
    groups as saving the memberships one by one would; the fan-out does not need the groups.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from areas.models import Membership, PartnerOrganisation

    organisation = PartnerOrganisation.objects.order_by("pk").first()
    if organisation is None:
        raise SystemExit("the demo data created no partner organisation")
    password = make_password(None)  # unusable; one hash for everyone is enough here
    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=f"member{number:06d}@bench.example", password=password) for number in range(count)
    )
    Membership.objects.bulk_create(Membership(user=user, organisation=organisation) for user in users)


def email_counts(notification) -> dict[str, int]:
    from django.db.models import Count

    from coordination.notifications.models import Delivery

    rows = (
        Delivery.objects.filter(notification=notification, channel=Delivery.Channel.EMAIL)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def seconds(later, earlier) -> str:
    return "-" if later is None or earlier is None else f"{(later - earlier).total_seconds():.2f}"


def run(args, workdir: Path, processes: list[subprocess.Popen]) -> int:
    redis, redis_url = start_redis(workdir)
    processes.append(redis)
    mail_dir = workdir / "mail"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "REDIS_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_DELIVERY_BACKEND": BACKENDS[args.backend],
            "EMAIL_FILE_PATH": str(mail_dir),
            "LOG_LEVEL": "WARNING",
        }
    )

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Max, Min

    from areas.models import Membership
    from cms.demo import load_demo_data
    from coordination.notifications.models import Audience, Delivery, Kind
    from coordination.notifications.services import notify
    from coordination.notifications.tasks import sweep_stuck

    print(f"work directory   {workdir}")
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    load_demo_data(with_accounts=False)
    create_members(args.members)
    members = Membership.objects.filter(user__is_active=True).values("user").distinct().count()
    print(f"set-up           {time.monotonic() - started:.1f} s (migrate, demo areas, {members} members)")

    logs = [workdir / f"worker{number}.log" for number in range(args.workers)]
    for number, log in enumerate(logs):
        processes.append(start_worker(number, args.pool, log))
    workers = processes[1:]
    wait_until_ready(workers, logs)

    started = time.monotonic()
    with transaction.atomic():
        notification = notify(kind=Kind.NEW_MINUTES, title=TITLE, audience=Audience.NETWORK_PARTNERS)
    deadline = started + args.timeout
    next_progress = started + PROGRESS_EVERY
    next_sweep = started + args.sweep_every if args.sweep_every else None
    sweeps = 0
    outcome = "timed out"
    while True:
        counts = email_counts(notification)
        done = counts.get(Delivery.State.SENT, 0) + counts.get(Delivery.State.FAILED, 0)
        now = time.monotonic()
        if done >= members:
            outcome = "done"
            break
        if any(worker.poll() is not None for worker in workers):
            outcome = "a worker exited"
            break
        if now >= deadline:
            break
        if next_sweep is not None and now >= next_sweep:
            sweep_stuck.delay()
            sweeps += 1
            next_sweep += args.sweep_every
        if now >= next_progress:
            states = "  ".join(f"{state} {n}" for state, n in sorted(counts.items()))
            print(f"  {now - started:6.1f} s  {states or 'no e-mail deliveries yet'}")
            next_progress += PROGRESS_EVERY
        time.sleep(POLL_EVERY)
    polled = time.monotonic() - started

    notification.refresh_from_db()
    emails = Delivery.objects.filter(notification=notification, channel=Delivery.Channel.EMAIL)
    sent = emails.filter(state=Delivery.State.SENT)
    failed = emails.filter(state=Delivery.State.FAILED).count()
    inbox = Delivery.objects.filter(notification=notification, channel=Delivery.Channel.INBOX).count()
    written = Delivery.objects.filter(notification=notification).aggregate(last=Max("created_at"))["last"]
    times = sent.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    sent_count = sent.count()
    created = notification.created_at
    all_sent = (times["last"] - created).total_seconds() if times["last"] else None

    print(f"outcome          {outcome} after {polled:.1f} s (polled every {POLL_EVERY} s)")
    print(f"members          {members}")
    print(f"workers          {args.workers} (--pool {args.pool}), backend {args.backend}")
    print(f"fanned_out_at    {seconds(notification.fanned_out_at, created)} s after created_at")
    print(f"deliveries made  {seconds(written, created)} s after created_at (last Delivery.created_at)")
    print(f"fan_out task     {fan_out_task_seconds(logs)} s (worker log: writing and queueing)")
    print(f"first e-mail     {seconds(times['first'], created)} s after created_at")
    print(f"all e-mail sent  {seconds(times['last'], created)} s after created_at (last sent_at)")
    if all_sent:
        print(f"e-mail / s       {sent_count / all_sent:.1f}")
        print(f"deliveries / s   {(sent_count + inbox) / all_sent:.1f} (e-mail and inbox)")
    print(f"sent / inbox     {sent_count} e-mail, {inbox} inbox")
    print(f"failed           {failed}")
    if args.sweep_every:
        stuck_after = os.environ.get("DELIVERY_STUCK_SECONDS", "45")
        print(f"sweeps queued    {sweeps} (every {args.sweep_every} s, stuck after {stuck_after} s)")
    messages = count_messages(mail_dir) if args.backend == "file" else 0
    if args.backend == "file":
        print(f"messages written {messages} (filebased backend)")
        print(f"duplicates       {messages - sent_count} (messages written less e-mail deliveries sent)")
    else:
        print("messages written n/a (locmem keeps them in the workers' memory)")
    goal = all_sent is not None and all_sent < GOAL_SECONDS and outcome == "done"
    took = f"{all_sent:.1f} s" if all_sent else "-"
    print(
        f"SUMMARY fanout: {sent_count} of {members} e-mails sent in {took} by {args.workers} worker(s), "
        f"{failed} failed, duplicates {messages - sent_count if args.backend == 'file' else 'n/a'} "
        f"(goal < {GOAL_SECONDS} s: {'met' if goal else 'NOT met'})"
    )
    if outcome != "done":
        print(tails(logs), file=sys.stderr)
        return 1
    return 0 if failed == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=10_000, help="partner members to notify")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--pool", choices=["solo", "prefork"], default="solo", help="pool of each worker")
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="file", help="e-mail backend")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for every e-mail")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (database, logs, mail)")
    parser.add_argument(
        "--sweep-every", type=float, default=0, help="queue the stuck-work sweep every SECONDS, as beat does"
    )
    args = parser.parse_args()
    if args.members < 1 or args.workers < 1:
        parser.error("--members and --workers must be at least 1")

    workdir = Path(tempfile.mkdtemp(prefix="tsunagu-fanout-"))
    processes: list[subprocess.Popen] = []
    try:
        return run(args, workdir, processes)
    finally:
        for process in reversed(processes):  # workers first, redis-server last
            stop(process)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
