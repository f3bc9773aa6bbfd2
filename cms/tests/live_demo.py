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
On SQLite (`make check`) the same is done with SELECT and INSERT, also inside a transaction (the
shared demo, a module's world); see `_sqlite_state`.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

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
    """What `load_demo_data(with_accounts=…)` leaves in the database: on PostgreSQL for a
    transactional test, on SQLite also inside a transaction (the shared demo, a module's world)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            tables = _sqlite_tables(cursor)
            state = _sqlite_state(cursor, [table for table in tables if table != "sqlite_sequence"])
        key = ("sqlite", with_accounts, _changed_settings(), date.today(), state)
        _load_or_copy_in(key, with_accounts, _sqlite_copy_out, _sqlite_copy_in)
    elif connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The copy empties every table with TRUNCATE: only for a transactional test.
        _load_or_copy_in((with_accounts, _changed_settings()), with_accounts, _copy_out, _copy_in)
    else:
        _load(with_accounts)


def _load(with_accounts: bool) -> None:
    with admin_search_index_updated():  # the admin's search finds the demo site's pages
        load_demo_data(with_accounts=with_accounts)


def _load_or_copy_in(key, with_accounts: bool, copy_out, copy_in) -> None:
    """The copy taken under `key` put back, or the demo loaded and its copy taken."""
    copy = _COPIES.get(key)
    if copy is None:
        _load(with_accounts)
        _COPIES[key] = copy_out()
    else:
        copy_in(copy)


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


# SQLite (make check): the same idea with plain SELECT and INSERT, which also work inside the
# transaction a shared demo or a module's world is loaded in. The copy is taken only from the same
# database state as now (every row of every table, hashed: the migrated database, or the empty one
# a flush leaves) and the same day, so a copy put back is what loading would have left.


@dataclass(frozen=True)
class _SqliteCopy:
    tables: tuple[str, ...]
    rows: tuple[tuple[str, str, tuple], ...]  # (table, INSERT statement, rows)


def _sqlite_tables(cursor) -> tuple[str, ...]:
    """The tables to copy, with SQLite's own sequence table: not a full-text index (a virtual table
    and its shadow tables), which its triggers keep as the rows of its own table come and go."""
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
    found = cursor.fetchall()
    virtual = [name for name, sql in found if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return tuple(
        name
        for name, _sql in found
        if name not in KEPT
        and not any(name == table or name.startswith(table + "_") for table in virtual)
        and (name == "sqlite_sequence" or not name.startswith("sqlite_"))
    )


def _sqlite_rows(cursor, table: str) -> list[tuple]:
    order = "name" if table == "sqlite_sequence" else "rowid"
    # The table names come from sqlite_master, not from anyone's input.
    cursor.execute("SELECT * FROM " + connection.ops.quote_name(table) + " ORDER BY " + order)  # noqa: S608
    return cursor.fetchall()


def _sqlite_state(cursor, tables) -> str:
    """A digest of every row of `tables` but their numbers: a flush leaves content types,
    permissions and workflows made again by post_migrate under new keys (SQLite's sequences go on),
    which changes only the keys of what loading the demo then writes."""
    digest = hashlib.sha256()
    for table in tables:
        rows = _sqlite_rows(cursor, table)
        digest.update(f"{table}:{len(rows)}".encode())
        digest.update(repr([[value for value in row if not isinstance(value, int)] for row in rows]).encode())
    return digest.hexdigest()


def _sqlite_copy_out() -> _SqliteCopy:
    with connection.cursor() as cursor:
        tables = _sqlite_tables(cursor)
        rows = []
        for table in tables:
            found = _sqlite_rows(cursor, table)
            if found:
                marks = ", ".join(["%s"] * len(found[0]))
                insert = "INSERT INTO " + connection.ops.quote_name(table) + f" VALUES ({marks})"  # noqa: S608
                rows.append((table, insert, tuple(found)))
    return _SqliteCopy(tables=tables, rows=tuple(rows))


def _sqlite_copy_in(copy: _SqliteCopy) -> None:
    # Django's foreign keys on SQLite are deferred: checked once, when the transaction commits.
    with transaction.atomic(), connection.cursor() as cursor:
        for table in copy.tables:
            cursor.execute("DELETE FROM " + connection.ops.quote_name(table))  # noqa: S608
        for _table, insert, rows in copy.rows:
            cursor.executemany(insert, rows)
    ContentType.objects.clear_cache()
