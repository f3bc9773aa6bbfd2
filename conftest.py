"""Fixtures shared by the whole suite: demo data, a real redis-server, a real Celery worker, a browser."""

import contextlib
import functools
import gc
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cms.tests.admin_search import admin_search_index_off, admin_search_index_updated
from scripts import throwaway_postgres

ROOT = Path(__file__).resolve().parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _freeze_survivors(phase, info) -> None:
    """gc callback: after a full collection, what survived it is moved out of the collector's
    reach (`gc.freeze()`), so the next full collection walks only what was kept since.

    A test process keeps what its tests made long-lived (the shared demo's objects, Django's and
    Wagtail's caches, the module worlds) and its heap grows through the run; each full collection
    walked all of it, 0.3–2.4 s each, falling wherever the allocation count tripped it (in the
    access table's teardowns among others). A frozen object that becomes garbage later is never
    collected, which in a test process costs no measurable memory. `TSUNAGU_TEST_GC_FREEZE=0`
    leaves the collector as it is."""
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def pytest_configure(config):
    if os.environ.get("TSUNAGU_TEST_GC_FREEZE") != "0" and _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)


@pytest.fixture(autouse=True)
def _mail_through_celery(settings):
    """pytest-django swaps in the locmem backend; put ours back so mail goes through the task."""
    settings.EMAIL_BACKEND = "common.mail.CeleryEmailBackend"


@pytest.fixture(autouse=True)
def _fresh_cache(request, _mail_through_celery):
    """Rate limits, cached pages and fragments must not leak from one test into the next (a test's
    writes are rolled back, which replaces no generation of the page cache).

    But in a module marked `shares_page_cache`, whose tests all read one module world (`demo_world`)
    and write nothing, the pages and fragments one test built are kept for the next, as for the next
    reader on the site: the header's areas and the Site were otherwise built again for each of
    hundreds of requests. They are emptied as before once a test of the module wrote (the page
    cache's generation moved: a write to any shown table replaces it), changed a setting (Django's
    `setting_changed`), or ran on another database than the test before (another module, the
    shared demo opened, closed or a world added)."""
    from django.core.cache import caches
    from django.test.signals import setting_changed

    pages = caches["pages"]
    caches["default"].clear()
    shared = request.node.get_closest_marker("shares_page_cache") is not None and SHARED_DEMO.worlds > 0
    here = (request.node.module.__name__, SHARED_DEMO.changes)
    if not (shared and _KEPT_PAGES["built_in"] == here):
        pages.clear()
    _KEPT_PAGES["built_in"] = None
    generations = _generations(pages) if shared else None
    changed = []

    def on_setting_changed(**kwargs):
        changed.append(kwargs["setting"])

    setting_changed.connect(on_setting_changed)
    try:
        yield
    finally:
        setting_changed.disconnect(on_setting_changed)
    caches["default"].clear()
    if shared and not changed and _generations(pages) == generations and here[1] == SHARED_DEMO.changes:
        _KEPT_PAGES["built_in"] = here
    else:
        pages.clear()


#: "built_in": (module, SHARED_DEMO.changes) the pages cache was last kept in, or None: emptied.
_KEPT_PAGES = {"built_in": None}


def _generations(cache):
    """The page cache's generations of the whole site and of its content, made if missing (as the
    middleware makes them), so that any write since shows as a change."""
    import uuid

    from common.page_cache import CONTENT_GENERATION_KEY, GENERATION_KEY

    for key in (GENERATION_KEY, CONTENT_GENERATION_KEY):
        cache.add(key, uuid.uuid4().hex, None)
    return cache.get_many([GENERATION_KEY, CONTENT_GENERATION_KEY])


@pytest.fixture
def page_cache(settings):
    """The "pages" cache, on and empty, whatever the environment set (PAGE_CACHE_SECONDS=0 turns
    it off): for the tests of the page cache, the reader's kept pages and the shared forms."""
    from django.core.cache import caches

    settings.PAGE_CACHE_SECONDS = 600
    caches["pages"].clear()
    yield caches["pages"]
    caches["pages"].clear()


@pytest.fixture
def every_page_rendered(settings):
    """The page cache off for this test: each request renders its page (what a render costs in
    queries), as no reader's kept page or shared fragment answers it."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True, scope="session")
def _no_reference_index():
    """Wagtail's reference index (the admin's "Usage" counts) is not kept up to date in tests: no
    test reads it, and updating it on every save cost a twentieth of the suite. A test that needs
    it takes the `reference_index` fixture."""
    from wagtail.signal_handlers import disable_reference_index_auto_update

    with disable_reference_index_auto_update():
        yield


@pytest.fixture(scope="session", autouse=True)
def _no_admin_search_index():
    """Wagtail's search index is not updated on every save in tests, but for the demo site and in
    tests marked `admin_search` (cms/tests/admin_search.py says why). A test of what the admin's
    search shows is marked, so that an object it creates is found if the admin would find it: one
    that found nothing because nothing was indexed would prove nothing."""
    with admin_search_index_off():
        yield


@pytest.fixture(scope="module", autouse=True)
def _admin_search_in_module(request):
    """A module marked `admin_search` (its `pytestmark`): the index is updated for the whole module,
    module-scoped worlds included."""
    marked = any(request.node.iter_markers("admin_search"))
    with admin_search_index_updated() if marked else contextlib.nullcontext():
        yield


@pytest.fixture(autouse=True)
def _admin_search_in_test(request):
    """A test marked `admin_search` in a module that is not: the index is updated for that test."""
    own = request.node.get_closest_marker("admin_search")
    module = any(request.node.getparent(pytest.Module).iter_markers("admin_search"))
    with admin_search_index_updated() if own and not module else contextlib.nullcontext():
        yield


@pytest.fixture
def reference_index():
    """Wagtail's reference index updated on every save, as in production."""
    from wagtail.signal_handlers import reference_index_auto_update_disabled

    reference_index_auto_update_disabled.value = False
    yield
    reference_index_auto_update_disabled.value = True


class _SharedDemo:
    """The demo site, built once and kept in a transaction every demo test rolls back to.

    Building the demo site (13 areas, their partners, the home and about pages, with revisions and
    the search index) costs seconds; building it for each of 500 tests was most of the suite's time
    (docs/decisions.md, "A fast suite"). So it is built once, inside an outer transaction that stays
    open; each test's own transaction is a savepoint inside it and rolls back to the same demo site.

    The outer transaction is rolled back, leaving an empty database, before a test that must not
    see it: a database test that did not ask for the demo site, a transactional test (which commits
    and flushes), or a module-scoped fixture that builds its own world. Tests are ordered so that
    this happens about twice a run (pytest_collection_modifyitems below).
    """

    def __init__(self):
        self.atomic = None
        self.level = None  # "demo" (no log-ins) or "full" (the demo log-ins and all they show)
        self.worlds = 0  # module worlds built on it and not yet rolled back (`world` below)
        self.changes = 0  # times it was opened, rolled back, or a world added or rolled back

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def open(self, blocker, level: str) -> None:
        from django.db import connection, transaction

        from cms.tests.live_demo import load_demo

        if self.level == level:
            return
        self.close(blocker)
        if connection.in_atomic_block:
            raise RuntimeError(
                "The shared demo site cannot be opened inside another transaction: a module-scoped "
                "fixture holds one. Let that module's tests build on `demo_site` instead."
            )
        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            # Marked as a test case's own block, so that code asking for a durable atomic block
            # behaves as it does in Django's TestCase.
            connection.atomic_blocks[-1]._from_testcase = True
            try:
                load_demo(with_accounts=level == "full")
                self.level = level
                self.changes += 1
            except BaseException:
                self.close(blocker)
                raise

    def close(self, blocker) -> None:
        from django.db import transaction

        if not self.is_open:
            return
        if self.worlds:
            raise RuntimeError(
                "The shared demo site cannot be rolled back while a module world built on it "
                "(`demo_world`) is open: a test of that module asked for another database "
                "(`db` alone, `full_demo`, a transactional one). Let it take `demo_site`."
            )
        with blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = self.level = None
        self.changes += 1

    @contextlib.contextmanager
    def world(self, blocker):
        """A module's own world on top of the demo site: what the `with` block builds is kept in a
        savepoint of the shared transaction until the block ends, then rolled back. Each test's own
        transaction is a savepoint inside it, as in Django's setUpTestData. The database is open to
        the block (it is the module fixture's, which pytest-django would block)."""
        from django.db import transaction

        self.open(blocker, "demo")
        with blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            self.worlds += 1
            self.changes += 1
            try:
                yield
            finally:
                self.worlds -= 1
                self.changes += 1
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


SHARED_DEMO = _SharedDemo()


def _db_use(item_or_request) -> str:
    """What the test needs of the database: "transactional", "full", "demo", "db" or "none"."""
    from pytest_django.fixtures import validate_django_db

    node = getattr(item_or_request, "_pyfuncitem", item_or_request)
    fixtures = set(getattr(item_or_request, "fixturenames", ()))
    marker = node.get_closest_marker("django_db")
    transactional = reset = False
    if marker:
        transactional, reset, *_rest = validate_django_db(marker)
    if transactional or reset or fixtures & {"transactional_db", "live_server", "django_db_reset_sequences"}:
        return "transactional"
    if "full_demo" in fixtures:
        return "full"
    if fixtures & {"demo_site", "demo_world"}:
        return "demo"
    if marker or "db" in fixtures or "django_db_setup" in fixtures:
        return "db"
    return "none"


_ORDER = {"db": 0, "demo": 1, "full": 2, "transactional": 3, "none": 4}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Database tests that start from an empty database, then those on the shared demo site (without,
    then with its log-ins), then transactional ones (as pytest-django and Django order them), then
    the rest; stable within each."""
    items.sort(key=lambda item: _ORDER[_db_use(item)])


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: absent under -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's `--dist load` (what `-n` gives), except that a module building a world of its
    own goes whole to one worker, which builds that world once instead of each worker building it."""
    from xdist.scheduler import LoadScopeScheduling

    if config.getvalue("dist") != "load":
        return None

    class _OneWorkerPerWorld(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if _builds_a_module_world(config.rootpath / module) else nodeid

    return _OneWorkerPerWorld(config, log)


#: What a module-scoped fixture that fills the database takes.
WORLD_ARGUMENTS = {"django_db_blocker", "demo_world"}


@functools.cache
def _builds_a_module_world(path: Path) -> bool:
    """Whether the test module has a module-scoped fixture that fills the database (read from its
    source: the scheduler runs in the controller, which collects no tests)."""
    import ast

    if path.suffix != ".py" or not path.is_file():
        return False
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and {a.arg for a in node.args.args} & WORLD_ARGUMENTS:
            for decorator in node.decorator_list:
                keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
                if any(k.arg == "scope" and getattr(k.value, "value", None) == "module" for k in keywords):
                    return True
    return False


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    """Open or roll back the shared demo site just before a test's own transaction begins, and
    before a module-scoped fixture builds a world of its own."""
    if fixturedef.argname == "_django_db_helper":
        blocker = request.getfixturevalue("django_db_blocker")
        if (use := _db_use(request)) in ("demo", "full"):
            request.getfixturevalue("_close_shared_demo")
            SHARED_DEMO.open(blocker, use)
        else:
            SHARED_DEMO.close(blocker)
    elif (
        fixturedef.scope in ("module", "class", "package")
        and "django_db_blocker" in fixturedef.argnames
        and not fixturedef.func.__module__.startswith("pytest_django")
    ):
        SHARED_DEMO.close(request.getfixturevalue("django_db_blocker"))


class _MigratedTemplate:
    """A migrated SQLite test database kept in var/ between runs, keyed on the migrations.

    Migrating a new SQLite test database costs about 19 s of CPU (282 migrations, Wagtail's
    included) in every test process; copying a migrated one costs a fraction of a second. The copy
    is named after a hash of every migration file and the area data the data migrations read, so
    a changed or added migration makes a new one: it can never be stale. PostgreSQL runs (and
    `TSUNAGU_TEST_TEMPLATE=0`) migrate as before.
    """

    def __init__(self):
        self.copied_to = None

    @staticmethod
    def _sqlite_test_name() -> str | None:
        from django.conf import settings

        database = settings.DATABASES["default"]
        if (
            database["ENGINE"] != "django.db.backends.sqlite3"
            or os.environ.get("TSUNAGU_TEST_TEMPLATE") == "0"
        ):
            return None
        return database.get("TEST", {}).get("NAME")

    @staticmethod
    def path() -> Path:
        import hashlib

        import django
        from django.apps import apps

        digest = hashlib.sha256(django.__version__.encode())
        for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
            for file in sorted(Path(app.path, "migrations").glob("*.py")):
                digest.update(file.name.encode() + file.read_bytes())
        for file in sorted((ROOT / "areas" / "data").rglob("*")):
            if file.is_file():
                digest.update(file.name.encode() + file.read_bytes())
        return ROOT / "var" / f"test-template-{digest.hexdigest()[:16]}.sqlite3"

    def copy_in(self) -> bool:
        """Put the migrated copy where this process's test database goes; True if there was one."""
        import sqlite3

        name = self._sqlite_test_name()
        if not name or not (template := self.path()).exists():
            return False
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        with (
            contextlib.closing(sqlite3.connect(template)) as source,
            contextlib.closing(sqlite3.connect(name)) as copy,
        ):
            source.backup(copy)
        self.copied_to = name
        return True

    def keep(self) -> None:
        """After migrating: keep a consistent copy of the new test database for the next runs."""
        import sqlite3

        name = self._sqlite_test_name()
        if not name or self.copied_to or not Path(name).exists():
            return
        template = self.path()
        partial = template.with_suffix(f".{os.getpid()}.partial")
        with (
            contextlib.closing(sqlite3.connect(name)) as source,
            contextlib.closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)
        for old in template.parent.glob("test-template-*.sqlite3"):
            old.unlink(missing_ok=True)
        os.replace(partial, template)  # whole or not at all, if two processes keep one at once

    def remove_copy(self) -> None:
        """A copied database is kept by pytest-django (as with --reuse-db): remove it ourselves."""
        if self.copied_to:
            for suffix in ("", "-wal", "-shm"):
                Path(self.copied_to + suffix).unlink(missing_ok=True)


MIGRATED_TEMPLATE = _MigratedTemplate()


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings):
    """pytest-django's: keep (and so reuse) the test database when a migrated copy was put there.

    After pytest-django has named the database (`_gw0`, `_gw1` under pytest-xdist), or the copy
    would go where no worker looks, and every worker would migrate its own."""
    return request.config.getvalue("reuse_db") or MIGRATED_TEMPLATE.copy_in()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then the migrated database kept for the next run (see _MigratedTemplate)."""
    with django_db_blocker.unblock():
        from django.db import connections

        connections.close_all()
    MIGRATED_TEMPLATE.keep()
    yield
    with django_db_blocker.unblock():
        from django.db import connections

        connections.close_all()
    MIGRATED_TEMPLATE.remove_copy()


@pytest.fixture(scope="session")
def _close_shared_demo(django_db_setup, django_db_blocker):
    """Roll the shared demo site back before pytest-django drops the test database (set up after
    it, so torn down before it)."""
    yield
    SHARED_DEMO.close(django_db_blocker)


@pytest.fixture(scope="session")
def demo_world(_close_shared_demo, django_db_blocker):
    """For a module-scoped fixture that builds a world of its own on the shared demo site, once for
    the module's tests instead of once per test (or on a demo site loaded again):

        @pytest.fixture(scope="module")
        def world(demo_world):
            with demo_world():
                ...  # build on the demo site
                yield ...

    The world is rolled back at the module's end; the module's tests count as demo-site tests
    (`_db_use`) and each rolls back to the world. A test of the module may not ask for another
    database (`full_demo`, a transactional one): `_SharedDemo.close` says so."""
    return functools.partial(SHARED_DEMO.world, django_db_blocker)


@pytest.fixture
def just_before_update():
    """`with just_before_update(table, state, step):` runs `step()` once, just before the first
    UPDATE that moves rows of `table` to `state` on this connection: it replays, in one thread,
    what another worker does between a sweep finding its stuck rows and moving them."""
    from django.db import connection

    @contextlib.contextmanager
    def _just_before(table, state, step):
        done = []

        def wrapper(execute, sql, params, many, context):
            statement, _, assignments = sql.partition(" SET ")
            moves = statement == "UPDATE " + connection.ops.quote_name(table)
            if not done and moves and assignments.startswith('"state" = ') and params[0] == state:
                done.append(True)
                step()
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            yield
        assert done, f"nothing moved {table} to {state}"

    return _just_before


@pytest.fixture
def demo_site(db):
    """The demo site without log-ins: home page, the 13 areas and their core partners.

    Shared by every test in one outer transaction (see _SharedDemo); a transactional test, which
    commits and flushes, builds its own.
    """
    from cms.models import HomePage

    if not SHARED_DEMO.is_open:
        from cms.tests.live_demo import load_demo

        load_demo(with_accounts=False)
    return HomePage.objects.get()


@pytest.fixture
def full_demo(demo_site):
    """The whole demo `make run` loads: the demo log-ins, their meetings, events, postings, roster,
    survey and last fiscal year's activity. Shared like `demo_site`."""
    if SHARED_DEMO.level != "full":
        from cms.tests.live_demo import load_demo

        load_demo(with_accounts=True)
    return demo_site


@pytest.fixture
def area_a(demo_site):
    """今宿西エリア (area-01)."""
    from areas.models import AreaPage

    return AreaPage.objects.get(code="area-01")


@pytest.fixture
def area_b(demo_site):
    """白根エリア (area-02)."""
    from areas.models import AreaPage

    return AreaPage.objects.get(code="area-02")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(workdir: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """A real redis-server on a loopback port (a free one unless given), with nothing saved to
    disk; returns the process and its URL once it answers PING."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server is not installed. Run `make test` as root (it installs Debian's "
            "redis-server) or install it yourself: sudo apt-get install redis-server"
        )
    port = port or _free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"redis-server did not start on port {port}")
        time.sleep(0.05)
    return process, f"redis://127.0.0.1:{port}/0"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real redis-server on a free loopback port, for the whole session."""
    process, url = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server for the session: the one scripts/test-postgres started, or a throwaway one.

    Tests create their own databases on it; the suite's test database lives beside them.
    """
    shared = os.environ.get("TSUNAGU_POSTGRES_SERVER")
    if shared:
        yield shared
        return
    try:
        with throwaway_postgres.cluster() as url:
            yield url
    except throwaway_postgres.PostgresMissing as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session", autouse=True)
def _migrated_copy(request):
    """On PostgreSQL, when a collected test asks for `migrated_postgres_database`: a copy of the
    test database just after pytest-django migrated it, before any test wrote to it (a template
    database of the same cluster, copied in a second; migrating one costs about 27 s)."""
    server = os.environ.get("TSUNAGU_POSTGRES_SERVER")
    wanted = any(
        "migrated_postgres_database" in getattr(item, "fixturenames", ()) for item in request.session.items
    )
    if not (server and wanted):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    from django.db import connection, connections

    source = connection.settings_dict["NAME"]
    # No test database when no collected test uses one (pytest-django sets up only those asked for).
    if connection.vendor != "postgresql" or not source.startswith("test_"):
        yield None
        return
    with request.getfixturevalue("django_db_blocker").unblock():
        connections.close_all()  # a template database must have no session
    copy = f"migrated_{source}"
    throwaway_postgres.copy_database(server, source, copy)
    yield copy
    throwaway_postgres.drop_database(server, copy)


@pytest.fixture(scope="session")
def _migrated_template(_migrated_copy, postgres_url):
    """A migrated, empty database to copy: the test database's copy, or one migrated here once."""
    if _migrated_copy:
        yield _migrated_copy
        return
    name = f"migrated_{os.getpid()}"
    url = throwaway_postgres.copy_database(postgres_url, "template0", name)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    yield name
    throwaway_postgres.drop_database(postgres_url, name)


@pytest.fixture
def migrated_postgres_database(postgres_url, _migrated_template):
    """`migrated_postgres_database(name)`: the URL of a new database `name` on the PostgreSQL server,
    migrated as `manage.py migrate` leaves it and empty of anything a test wrote. The name is
    suffixed with this process's id: the suite's workers share one server."""
    return lambda name: throwaway_postgres.copy_database(
        postgres_url, _migrated_template, f"{name}_{os.getpid()}"
    )


@pytest.fixture
def celery_on_redis(redis_url, settings):
    """Switch this process's Celery app from eager mode to the real broker, and back afterwards."""
    from cms.celery import app

    app.conf.update(broker_url=redis_url, task_always_eager=False)
    _drop_connection_pools(app)
    yield app
    app.conf.update(broker_url="memory://", task_always_eager=True)
    _drop_connection_pools(app)


def _drop_connection_pools(app):
    """Forget connections made for the previous broker, as Celery itself does after a fork."""
    app._after_fork()


def worker_database_url() -> str:
    """The test database as a DATABASE_URL, so that a worker process uses the same one."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(*, redis_url: str, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """Start `celery -A cms worker` in its own process against the given broker."""
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # The same test database as this process, whichever engine the suite runs on.
        "DATABASE_URL": worker_database_url(),
        **env,
    }
    log = log_path.open("wb")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cms",
            "worker",
            "--loglevel",
            "INFO",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--hostname",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=worker_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.fixture(scope="session")
def _chromium():
    """Debian's Chromium driven by Playwright, started once per test process; never a downloaded
    browser. Starting Playwright's driver and Chromium costs about 3 s, once per browser test before.

    Playwright's sync API marks its event loop as running in this thread between its calls, and
    Django refuses the ORM under a running loop. So the loop is marked running only while a test
    that asked for `browser` runs (that test allows the ORM there); every other test sees none, as
    if no browser had been started."""
    import asyncio

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is not installed. Run `make test` as root (it installs Debian's chromium) "
            "or install it yourself: sudo apt-get install chromium"
        )
    manager = sync_playwright()
    playwright = manager.start()
    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    loop = asyncio.get_running_loop()
    asyncio._set_running_loop(None)
    yield instance, loop
    asyncio._set_running_loop(loop)
    instance.close()
    manager.__exit__()
    asyncio._set_running_loop(None)


@pytest.fixture
def browser(_chromium, monkeypatch):
    """The process's Chromium, for one test: the contexts (pages, cookies) the test opened are
    closed after it, so the next test starts from none."""
    import asyncio

    instance, loop = _chromium
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by
    # fixtures around the test are plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    asyncio._set_running_loop(loop)
    try:
        yield instance
        for context in instance.contexts:
            context.close()
    finally:
        asyncio._set_running_loop(None)
