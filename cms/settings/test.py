"""Tests: fast password hashing, e-mail kept in memory, Celery eager unless a test starts a worker."""

import os

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process started by a test is told to write its mail to files instead.
EMAIL_DELIVERY_BACKEND = env(
    "EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)

# A file, not memory, so that a Celery worker process started by a test sees the same
# database; one per test process so that parallel runs do not collide.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405

# The page cache is on, as in production, so every test meets the pages and fragments people get
# (with it off, filters the cache's key left out went unseen: docs/decisions.md, "A fast suite").
# A test's writes replace its generation; conftest.py empties it between tests, as a rollback
# replaces nothing. In memory, or in files for a gunicorn a test starts.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
if not env("PAGE_CACHE_DIR", default=""):
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}  # noqa: F405
