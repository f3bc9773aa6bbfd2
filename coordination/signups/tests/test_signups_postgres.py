"""On PostgreSQL (production's database): many people at once for one shift, SELECT ... FOR UPDATE.

This runs bench/signups.py against a migrated PostgreSQL database of its own (a copy, see the root
conftest's `migrated_postgres_database`), where the slot's row lock (not SQLite's database-wide
write lock) keeps the count right.
"""

import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.postgres


def test_sixteen_threads_never_give_more_places_than_a_shift_has_on_postgresql(migrated_postgres_database):
    result = subprocess.run(
        [
            sys.executable,
            "bench/signups.py",
            "--people",
            "160",
            "--threads",
            "16",
            "--capacity",
            "7",
            "--database-url",
            migrated_postgres_database("signups_bench"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "database           postgresql" in result.stdout
    assert "placed / waiting   7 / 153  (correct)" in result.stdout, result.stdout
