"""scripts/backup and scripts/restore: what was there before a loss is there after the restore."""

import os
import sqlite3
import subprocess
import sys

import psycopg
import pytest

from conftest import ROOT
from scripts import throwaway_postgres


def _run(script, *args, env):
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
    result = subprocess.run(
        [str(ROOT / "scripts" / script), *args], env={**base, **env}, capture_output=True, text=True
    )
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
def test_a_postgresql_site_comes_back_in_a_new_cluster(postgres_url, tmp_path):
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS backup_live")
        connection.execute("CREATE DATABASE backup_live")
    live_url = postgres_url.rsplit("/", 1)[0] + "/backup_live"
    _manage("migrate", "--noinput", database_url=live_url)
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
