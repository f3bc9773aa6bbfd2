"""On PostgreSQL (production's database): the search table and the meetings' search leak cases.

When the suite runs on SQLite, this runs the same tests against a throwaway PostgreSQL cluster, so
both databases are shown to find the same pages for the same readers; when the suite itself runs on
PostgreSQL (`make test`), they have already run there.
"""

import os
import subprocess
import sys

import pytest
from django.db import connection

from conftest import ROOT

pytestmark = pytest.mark.postgres


def test_the_search_table_and_its_leak_cases_pass_on_postgresql(postgres_url):
    if connection.vendor == "postgresql":
        # `make test` runs the whole suite on PostgreSQL, these tests included: running them again
        # in a second process (a second test database, its migrations) would only cost time.
        pytest.skip("the suite itself runs on PostgreSQL, cms/tests/test_search.py with it")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "cms/tests/test_search.py",
            "coordination/meetings/tests/test_meeting_privacy.py::test_search_results",
            "coordination/meetings/tests/test_meeting_privacy.py::test_search_by_the_whole_secret",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": postgres_url, "TSUNAGU_SEARCH_DATABASE": "postgresql"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
