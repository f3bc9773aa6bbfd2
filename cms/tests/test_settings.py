import os
import secrets
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def _production_env(tmp_path, **extra):
    return {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tsunagu.example",
        "SITE_URL": "https://tsunagu.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    }


@pytest.mark.process
def test_check_deploy_reports_nothing_under_production_settings(tmp_path):
    env = _production_env(tmp_path, REDIS_URL="redis://redis:6379/0")
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is django-ratelimit's "RedisCache is not officially supported" (W001):
    # Django's RedisCache increments atomically; see docs/decisions.md.
    assert "System check identified no issues (1 silenced)." in result.stdout
    listed = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.SILENCED_SYSTEM_CHECKS)", env=env
    )
    assert listed.stdout.strip().splitlines()[-1] == "['django_ratelimit.W001']"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is missing or unsafe" in result.stderr


def test_production_refuses_the_development_key(tmp_path):
    env = _production_env(tmp_path, SECRET_KEY="dev-only-insecure-key-do-not-use-in-production")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_translation_catalogues_are_complete_and_compiled():
    for language in ("ja", "en"):
        po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path))
        mo = polib.mofile(str(po_path.with_suffix(".mo")))
        if language == "ja":
            assert [e.msgid for e in po.untranslated_entries()] == []
            assert [e.msgid for e in po.fuzzy_entries()] == []
        compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
        for entry in po.translated_entries():
            assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
                f"{po_path} is newer than its .mo: run `make messages` ({entry.msgid!r})"
            )
