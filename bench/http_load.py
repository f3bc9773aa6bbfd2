"""Requests per second, p50 and p95 of the much-read pages through a real gunicorn, as people see them.

Usage: .venv/bin/python bench/http_load.py [--duration S] [--connections 10,20] [--workers N]
       [--database-url URL] [--redis] [--history] [--misses] [--pages logged-in|NAME,NAME]

Starts gunicorn (production settings, N workers, default 2) on a free port with a fresh SQLite
file (or the empty database named by --database-url) holding the demo data, warms every page,
then drives wrk at each number of connections against the public pages anonymously and
against the logged-in pages: the dashboard, the inbox, the partner's area page and the events list
as the demo partner, the yearly report as the demo coordinator (second factor passed); `--pages
logged-in` runs only these. --redis starts a redis-server and sets
REDIS_URL, as the full stack does. --history adds ten years of data after the demo's
(bench/history.py: 50,000 event dates, 200,000 applications, 20,000 restricted meetings); run
once with it and once without to see whether a page's queries and speed grow with history. A
database that holds them already may be given with --database-url (without --history): the demo
data only adds what is missing, so ten years need not be loaded again (a quarter of an hour).
Prints, per page and connection count: requests/s, p50 and p95 in milliseconds, and the
database queries of a first and a second request (the second from the page cache: for logged-in
pages the reader's kept page, cms/reader_page.py). `--misses` drives the logged-in pages without
their CSRF cookie, so every request renders the page (from its shared fragments): the cost of a
miss, as after every write.
"""

import sys
from pathlib import Path

# This file is named like the standard library's `http`: look up modules from the project root
# instead of from bench/, or urllib would import this script.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402

# wrk's own summary has no p95: this prints the three figures on one line.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.errors.status, summary.requests))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(args, workdir: Path, port: int = 8000) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "bench-only-key-" + "x" * 40 + "abcdefghij",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The server's own address: the page caches serve only the site's host (cms.page_cache).
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir}/bench.sqlite3",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PAGE_CACHE_DIR": str(workdir / "page-cache"),
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "dummymail://",
    }
    env.pop("REDIS_URL", None)
    return env


def _start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


#: The logged-in pages (issue 30) and who reads them.
LOGGED_IN = ("dashboard", "inbox", "partner area", "partner events", "report")


def _prepare(env: dict[str, str], history: bool, misses: bool = False) -> tuple[dict, dict]:
    """Migrate, load the demo data (and with `history` ten years more: bench/history.py), collect
    static files; return the pages (name: (path, session cookie or None)) and their queries."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from areas.models import AreaPage
    from areas.tests.factories import log_in_with_second_factor
    from cms.demo import load_demo_data
    from cms.models import User
    from coordination.events.models import EventPage
    from coordination.volunteering.models import VolunteerPostingPage

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    load_demo_data(with_accounts=True)
    if history:
        from bench.history import load_history

        started = time.perf_counter()
        loaded = load_history()
        print(f"history loaded in {time.perf_counter() - started:.0f} s: {loaded}", flush=True)
    from django.conf import settings
    from django.utils.crypto import get_random_string

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(email="partner@tsunagu.example"))
    coordinator = Client()
    log_in_with_second_factor(coordinator, User.objects.get(email="coordinator@tsunagu.example"))
    for who in (client, coordinator):  # as a browser that has read a page with a form before
        who.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)
    anonymous = {
        "home": "/",
        "area index": "/areas/",
        "area page": AreaPage.objects.get(code="area-01").url,
        "events month": "/events/",
        "events list": "/events/list/",
        "event": EventPage.objects.live().first().url,
        "posting": VolunteerPostingPage.objects.live().first().url,
        "volunteer list": "/volunteer/",
        "content page": "/about/",
    }
    logged_in = {
        "dashboard": ("/dashboard/", client),
        "inbox": ("/notifications/", client),
        "partner area": (anonymous["area page"], client),
        "partner events": ("/events/list/", client),
        "report": ("/activity/report/", coordinator),
    }
    pages, queries = {}, {}
    for name, (url, who) in {**{name: (url, None) for name, url in anonymous.items()}, **logged_in}.items():
        counts = []
        for _ in range(2):  # rendered, then from the page cache (anonymous, or the reader's kept page)
            with CaptureQueriesContext(connection) as captured:
                assert (who or Client()).get(url).status_code == 200, url
            counts.append(str(len(captured)))
        queries[name] = "/".join(counts)
        cookie = None
        if who:  # with --misses no CSRF cookie: each page sets a new one, so none is kept
            cookie = f"sessionid={who.cookies['sessionid'].value}"
            if not misses:
                cookie += f"; {settings.CSRF_COOKIE_NAME}={who.cookies[settings.CSRF_COOKIE_NAME].value}"
        pages[name] = (url, cookie)
    connection.close()
    return pages, queries


def _wrk(url: str, connections: int, duration: int, cookie: str | None, script: Path) -> tuple:
    # A request slower than wrk's default 2 s would be left out of the figures, not counted as slow.
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "30s"]
    command += ["-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        command + [url], capture_output=True, text=True, check=True
    ).stdout
    line = next(row for row in output.splitlines() if row.startswith("RESULT"))
    rate, p50, p95, errors, total = line.split()[1:]
    return float(rate), float(p50), float(p95), int(errors), int(total)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per page and connection count")
    parser.add_argument("--connections", default="10,20")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="an empty database instead of a fresh SQLite file")
    parser.add_argument("--redis", action="store_true", help="start a redis-server and set REDIS_URL")
    parser.add_argument("--history", action="store_true", help="add ten years of data (bench/history.py)")
    parser.add_argument(
        "--pages", help="only these pages, comma-separated (e.g. dashboard,inbox), or logged-in for the five"
    )
    parser.add_argument(
        "--misses",
        action="store_true",
        help="logged-in pages rendered every time (no CSRF cookie, so no reader's page is kept)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: sudo apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="tsunagu-http-"))
    port = _free_port()
    env = _environment(args, workdir, port)
    redis = None
    if args.redis:
        redis, env["REDIS_URL"] = _start_redis(workdir)
    pages, queries = _prepare(env, args.history, args.misses)
    if args.pages:
        chosen = set(args.pages.replace("logged-in", ",".join(LOGGED_IN)).split(","))
        pages = {name: page for name, page in pages.items() if name in chosen}
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    server = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
        [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310 (our own http:// server)
                break
            except OSError:
                time.sleep(0.2)
        for path, cookie in pages.values():  # warm every worker
            _wrk(base + path, 4, 1, cookie, script)
        print(
            f"{'page':<16} {'queries':>7} {'conn':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'non-2xx':>8}"
        )
        for connections in [int(c) for c in args.connections.split(",")]:
            for name, (path, cookie) in pages.items():
                rate, p50, p95, errors, _total = _wrk(base + path, connections, args.duration, cookie, script)
                figures = f"{rate:>8.1f} {p50:>8.1f} {p95:>8.1f} {errors:>8}"
                print(f"{name:<16} {queries[name]:>7} {connections:>5} {figures}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if redis:
            redis.terminate()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
