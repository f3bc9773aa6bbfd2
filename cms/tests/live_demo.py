"""The demo site for tests against the live server: loaded once per test process, then copied back.

A browser test drives Django's live server, which reads the database through a connection of
its own, so the test is transactional: what it writes is committed, and the database is flushed
after it. Each browser test loaded the demo itself, and `load_demo_data` costs 10–60 s on
PostgreSQL on the 2-core machine, most of a browser test's time (docs/decisions.md, "A fast
suite", session 11).

`load_demo` loads it as before the first time in a test process, then copies every table out
(PostgreSQL's binary COPY) with the sequences' values. A later call in the same process empties the
tables and copies the same rows back in one transaction, and sets the sequences where the load
left them: the database the load left, row for row and key for key, in a fraction of a second.
A copy is used again only under the same settings as when it was taken (the demo reads some:
with LINE on, say, a cancelled place is announced); a test that changed others loads its own.
On another database (SQLite) the demo is loaded each time, as before.
"""

from dataclasses import dataclass

from django.conf import UserSettingsHolder, settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from cms.demo import load_demo_data
from cms.tests.admin_search import admin_search_index_updated

#: Tables the flush between transactional tests keeps, and so the copy leaves alone.
KEPT = {"django_migrations"}


@dataclass(frozen=True)
class _Copy:
    tables: tuple[str, ...]  # every table, emptied before the rows go back
    rows: tuple[tuple[str, bytes], ...]  # (table, binary COPY data) of the tables that had rows
    sequences: tuple[tuple[str, int | None], ...]  # (qualified name, last value or None if unused)


_COPIES: dict[tuple, _Copy] = {}


def _changed_settings() -> tuple[tuple[str, str], ...]:
    """The settings this test changed (pytest-django's `settings`, override_settings), with values."""
    changed, wrapped = [], settings._wrapped
    while isinstance(wrapped, UserSettingsHolder):
        changed += [(name, repr(value)) for name, value in vars(wrapped).items() if name.isupper()]
        wrapped = wrapped.default_settings
    return tuple(sorted(changed))


def load_demo(*, with_accounts: bool) -> None:
    """What `load_demo_data(with_accounts=…)` leaves in the database, for a transactional test."""
    if connection.vendor != "postgresql":
        with admin_search_index_updated():
            load_demo_data(with_accounts=with_accounts)
        return
    if connection.in_atomic_block:
        raise RuntimeError("load_demo empties every table: call it from a transactional test only.")
    key = (with_accounts, _changed_settings())
    copy = _COPIES.get(key)
    if copy is None:
        with admin_search_index_updated():
            load_demo_data(with_accounts=with_accounts)
        _COPIES[key] = _copy_out()
    else:
        _copy_in(copy)


def _copy_out() -> _Copy:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = tuple(
            name
            for name in connection.introspection.table_names(cursor, include_views=False)
            if name not in KEPT
        )
        rows = []
        for table in tables:
            with cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
                data = b"".join(bytes(chunk) for chunk in copy)
            if cursor.rowcount:
                rows.append((table, data))
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
            "FROM pg_sequences WHERE schemaname = current_schema()"
        )
        sequences = tuple(cursor.fetchall())
    return _Copy(tables=tables, rows=tuple(rows), sequences=sequences)


def _copy_in(copy: _Copy) -> None:
    quote = connection.ops.quote_name
    # The foreign keys Django makes are deferred: checked once, when the transaction commits.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in copy.tables))
        for table, data in copy.rows:
            with cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as target:
                target.write(data)
        for sequence, value in copy.sequences:
            if value is None:
                cursor.execute("SELECT setval(%s::regclass, 1, false)", [sequence])
            else:
                cursor.execute("SELECT setval(%s::regclass, %s, true)", [sequence, value])
    # The flush before this test made the content types again under other ids.
    ContentType.objects.clear_cache()
