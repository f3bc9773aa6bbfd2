"""scripts/backup and scripts/restore: what was there before a loss is there after the restore."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from conftest import ROOT
from scripts import throwaway_postgres


def _script(script, *args, env, cwd=None):
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args], env={**base, **env}, capture_output=True, text=True, cwd=cwd
    )


def _run(script, *args, env, cwd=None):
    result = _script(script, *args, env=env, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def _media(folder):
    (folder / "original_images").mkdir(parents=True)
    (folder / "original_images" / "ひろば.jpg").write_bytes(b"\xff\xd8 a photo of the playroom")


def test_the_embedded_default_comes_back_from_a_backup(tmp_path):
    live = tmp_path / "live"
    _media(live / "media")
    database = sqlite3.connect(live / "db.sqlite3")
    database.execute("PRAGMA journal_mode=WAL")  # as the site runs it
    with database:
        database.execute("CREATE TABLE partner (name TEXT)")
        database.execute("INSERT INTO partner VALUES ('旭区地域子育て支援拠点')")
    backups = tmp_path / "backups"
    folder = _run(
        "backup",
        str(backups),
        env={"DATABASE_URL": f"sqlite:///{live / 'db.sqlite3'}", "MEDIA_ROOT": str(live / "media")},
    )
    database.close()

    new = tmp_path / "new-machine"
    _run(
        "restore",
        folder,
        env={"DATABASE_URL": f"sqlite:///{new / 'db.sqlite3'}", "MEDIA_ROOT": str(new / "media")},
    )
    restored = sqlite3.connect(new / "db.sqlite3")
    assert restored.execute("SELECT name FROM partner").fetchall() == [("旭区地域子育て支援拠点",)]
    restored.close()
    photo = new / "media" / "original_images" / "ひろば.jpg"
    assert photo.read_bytes() == b"\xff\xd8 a photo of the playroom"


def _manage(*args, database_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.postgres
def test_a_postgresql_site_comes_back_in_a_new_cluster(migrated_postgres_database, tmp_path):
    # A migrated site (a copy of a freshly migrated database: migrating again costs 27 s).
    live_url = migrated_postgres_database("backup_live")
    _manage(
        "shell",
        "-c",
        "from cms.models import User; User.objects.create_user(email='hanako@example.jp', password='x')",
        database_url=live_url,
    )
    _media(tmp_path / "media")
    folder = _run(
        "backup",
        str(tmp_path / "backups"),
        env={"DATABASE_URL": live_url, "MEDIA_ROOT": str(tmp_path / "media")},
    )

    # The machine is lost: a new, empty cluster.
    with throwaway_postgres.cluster() as new_server:
        with psycopg.connect(new_server, autocommit=True) as connection:
            connection.execute("CREATE DATABASE tsunagu")
        new_url = new_server.rsplit("/", 1)[0] + "/tsunagu"
        _run("restore", folder, env={"DATABASE_URL": new_url, "MEDIA_ROOT": str(tmp_path / "new-media")})
        with psycopg.connect(new_url) as connection:
            emails = connection.execute("SELECT email FROM cms_user").fetchall()
            applied = connection.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert emails == [("hanako@example.jp",)]
    assert applied > 50  # the schema's history came too: no migration runs again
    photo = tmp_path / "new-media" / "original_images" / "ひろば.jpg"
    assert photo.read_bytes() == b"\xff\xd8 a photo of the playroom"


def _live_site(folder):
    """A live embedded site: a database in WAL mode, as the site runs it, and one photo."""
    _media(folder / "media")
    database = sqlite3.connect(folder / "db.sqlite3")
    database.execute("PRAGMA journal_mode=WAL")
    with database:
        database.execute("CREATE TABLE partner (name TEXT)")
        database.execute("INSERT INTO partner VALUES ('旭区地域子育て支援拠点')")
    database.close()
    return {"DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "MEDIA_ROOT": str(folder / "media")}


def _partners(path):
    database = sqlite3.connect(path)
    try:
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return [name for (name,) in database.execute("SELECT name FROM partner ORDER BY rowid")]
    finally:
        database.close()


def _add_partner(path, name):
    database = sqlite3.connect(path)
    with database:
        database.execute("INSERT INTO partner VALUES (?)", [name])
    database.close()


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path):
    path.write_bytes(b"this is not a backup\n" * 100)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda folder: _truncate(folder / "database.sqlite3"), id="truncated-database"),
        pytest.param(lambda folder: _garbage(folder / "database.sqlite3"), id="garbage-database"),
        pytest.param(lambda folder: _truncate(folder / "media.tar.gz"), id="corrupt-media-archive"),
    ],
)
def test_a_damaged_backup_is_refused_and_the_live_site_is_untouched(tmp_path, damage):
    live = _live_site(tmp_path / "live")
    folder = Path(_run("backup", str(tmp_path / "backups"), env=live))
    _add_partner(tmp_path / "live" / "db.sqlite3", "白根地区センター")  # written since the backup
    damage(folder)

    result = _script("restore", str(folder), env=live)

    assert result.returncode != 0
    assert "restore failed" in result.stderr and "were not changed" in result.stderr
    assert _partners(tmp_path / "live" / "db.sqlite3") == ["旭区地域子育て支援拠点", "白根地区センター"]
    photo = tmp_path / "live" / "media" / "original_images" / "ひろば.jpg"
    assert photo.read_bytes() == b"\xff\xd8 a photo of the playroom"
    assert sorted(p.name for p in (tmp_path / "live").iterdir()) == ["db.sqlite3", "media"]
    assert sorted(p.name for p in (tmp_path / "live" / "media").iterdir()) == ["original_images"]


def test_a_restore_over_a_live_site_keeps_what_it_replaced(tmp_path):
    live = _live_site(tmp_path / "live")
    folder = _run("backup", str(tmp_path / "backups"), env=live)
    _add_partner(tmp_path / "live" / "db.sqlite3", "白根地区センター")
    (tmp_path / "live" / "media" / "later.pdf").write_bytes(b"%PDF uploaded after the backup")

    result = _script("restore", folder, env=live)

    assert result.returncode == 0, result.stderr
    assert _partners(tmp_path / "live" / "db.sqlite3") == ["旭区地域子育て支援拠点"]
    assert not (tmp_path / "live" / "media" / "later.pdf").exists()
    (kept_database,) = (tmp_path / "live").glob("db.sqlite3.before-restore-*")
    assert _partners(kept_database) == ["旭区地域子育て支援拠点", "白根地区センター"]
    (kept_media,) = (tmp_path / "live" / "media").glob(".before-restore-*")
    assert (kept_media / "later.pdf").read_bytes() == b"%PDF uploaded after the backup"
    assert str(kept_database) in result.stderr


def test_a_backup_of_a_missing_database_fails_and_creates_nothing(tmp_path):
    missing = tmp_path / "live" / "db.sqlite3"
    result = _script(
        "backup",
        str(tmp_path / "backups"),
        env={"DATABASE_URL": f"sqlite:///{missing}", "MEDIA_ROOT": str(tmp_path / "media")},
    )

    assert result.returncode != 0
    assert str(missing) in result.stderr
    assert not missing.exists()
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


def test_a_relative_sqlite_path_is_in_the_project_folder_as_the_site_reads_it(tmp_path):
    """README's own form, sqlite:///db.sqlite3, from wherever the script is started."""
    name = f"var/backup-test-{os.getpid()}.sqlite3"
    live = _live_site(tmp_path / "live")
    (ROOT / "var").mkdir(exist_ok=True)
    (tmp_path / "live" / "db.sqlite3").rename(ROOT / name)
    try:
        env = {**live, "DATABASE_URL": f"sqlite:///{name}"}
        folder = Path(_run("backup", str(tmp_path / "backups"), env=env, cwd=tmp_path))
    finally:
        for suffix in ("", "-wal", "-shm"):  # the write-ahead log the script's reading leaves
            (ROOT / (name + suffix)).unlink(missing_ok=True)
    assert _partners(folder / "database.sqlite3") == ["旭区地域子育て支援拠点"]


def _create_database(server_url, name):
    """A new, empty database `name`, suffixed with this process's id: the suite's workers share one
    server, and two workers running this module's parameters at once must not drop each other's."""
    name = f"{name}_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.mark.postgres
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda folder: _garbage(folder / "database.dump"), id="garbage-dump"),
        pytest.param(lambda folder: _truncate(folder / "media.tar.gz"), id="corrupt-media-archive"),
    ],
)
def test_a_damaged_backup_leaves_a_postgresql_site_untouched(postgres_url, tmp_path, damage):
    live_url = _create_database(postgres_url, "restore_live")
    with psycopg.connect(live_url, autocommit=True) as connection:
        connection.execute("CREATE TABLE partner (name text)")
        connection.execute("INSERT INTO partner VALUES ('旭区地域子育て支援拠点')")
    _media(tmp_path / "media")
    live = {"DATABASE_URL": live_url, "MEDIA_ROOT": str(tmp_path / "media")}
    folder = Path(_run("backup", str(tmp_path / "backups"), env=live))
    with psycopg.connect(live_url, autocommit=True) as connection:
        connection.execute("INSERT INTO partner VALUES ('白根地区センター')")
    damage(folder)

    result = _script("restore", str(folder), env=live)

    assert result.returncode != 0
    assert "restore failed" in result.stderr and "were not changed" in result.stderr
    with psycopg.connect(live_url) as connection:
        names = connection.execute("SELECT name FROM partner ORDER BY name").fetchall()
    assert names == [("旭区地域子育て支援拠点",), ("白根地区センター",)]
    assert (
        tmp_path / "media" / "original_images" / "ひろば.jpg"
    ).read_bytes() == b"\xff\xd8 a photo of the playroom"
