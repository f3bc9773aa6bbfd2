"""Settings shared by every environment; each value comes from the environment.

The table of variables is in README.md. Environment modules (dev, test,
production) import this one and change only what differs.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The public address of the site, used in e-mails and the Wagtail admin.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "cms",
    "cms.newsletter",
    "coordination.meetings",
    "coordination.events",
    "coordination.volunteering",
    "coordination.evaluation",
    "coordination.activity",
    "coordination.signups",
    "coordination.line",
    "coordination.notifications",
    "areas",
    "common",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_celery_beat",
    "django_ratelimit",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "cms.logs.RequestIdMiddleware",
    "cms.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.middleware.ChannelCookieMiddleware",  # outside the page cache: cached pages set it too
    # Before sessions and log-in: a cached page costs one cache round trip and nothing else.
    "cms.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.reader_page.ReaderPageMiddleware",  # a reader's kept page: one session read, one cache read
    "cms.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cms.middleware.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "areas.middleware.SessionPrivilegesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "areas.middleware.AdminRequiresMFAMiddleware",
    "areas.admin_entry.NonPartnerAdminMiddleware",
    "areas.admin_entry.AdminPageVisibilityMiddleware",
    "cms.middleware.MalformedFormMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only; no
# inline script on the public pages. The Wagtail admin adds the little its editor still needs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Wagtail 8's editor still runs a few inline scripts and style attributes of its own.
CONTENT_SECURITY_POLICY_ADMIN_UPDATE = {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE]}
# No avatars from gravatar.com: it would learn a hash of each partner's address, and the policy
# allows no images from elsewhere.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_navigation",
                "cms.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A relative file (sqlite:///db.sqlite3) is in the project folder, wherever the process was
    # started from; scripts/backup and scripts/restore read it the same way.
    if DATABASES["default"]["NAME"] != ":memory:" and not Path(DATABASES["default"]["NAME"]).is_absolute():
        DATABASES["default"]["NAME"] = str(BASE_DIR / DATABASES["default"]["NAME"])
    # Web, worker and beat may share one SQLite file: write-ahead logging lets readers go on
    # while one writes, and IMMEDIATE transactions queue writers instead of failing them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is optional: without it the cache is local memory and Celery runs
# tasks in-process, so the platform starts with nothing else installed.
REDIS_URL = env("REDIS_URL", default="")
# The page cache (cms.page_cache) must be one that every web process sees, or a publish could not
# clear it: Redis when there is one, otherwise files in PAGE_CACHE_DIR.
if REDIS_URL:
    # The cache is an accelerator, never a dependency: while Redis is unreachable each process
    # answers from its own memory (common.cache). Short timeouts: a hanging Redis costs a request
    # at most a second or two, once every few seconds, not a page.
    _redis_cache = {
        "BACKEND": "common.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
    # In the stand-in, a value set lives at most LOCAL_TIMEOUT seconds: a page 30 s (a publish
    # elsewhere cannot clear it), the rest (Wagtail's site root paths, allauth's rate limits) 5 min.
    CACHES = {
        "default": {**_redis_cache, "LOCAL_TIMEOUT": 300},
        "pages": {**_redis_cache, "KEY_PREFIX": "pages", "LOCAL_TIMEOUT": 30},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.path("PAGE_CACHE_DIR", default=BASE_DIR / "var" / "page-cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
#: Seconds an anonymous page stays in the page cache at most; 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
#: Pages stored per generation of the page cache at most (each write starts a new generation).
PAGE_CACHE_MAX_ENTRIES = env.int("PAGE_CACHE_MAX_ENTRIES", default=2000)
#: The query parameters shared pages read (the calendar's filters, month and page number, an area page's
#: `meetings=all`); others (utm_*, fbclid, gclid, the channel code `ch`, anything unknown) are left out.
PAGE_CACHE_QUERY_PARAMETERS = ("age", "area", "kind", "meetings", "month", "page", "suits", "time", "weekday")

# django-ratelimit lists Django's own RedisCache as "not officially supported" (W001) though it
# increments atomically. Without Redis (the embedded default: one process) local memory is
# shared by everything that runs, so its "not a shared cache" (E003) does not apply there.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if REDIS_URL else ["django_ratelimit.E003"])

AUTH_USER_MODEL = "cms.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
WAGTAILADMIN_LOGIN_URL = "account_login"
# Passwords are changed and reset only through allauth (rate-limited, verified addresses).
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"

# django-allauth: log in by e-mail address only, verified before first use.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[つなぐ] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tsunagu"
# Coordinators, network admins and superusers need TOTP before the Wagtail admin opens.
MFA_REQUIRED_FOR_ADMIN = env.bool("MFA_REQUIRED_FOR_ADMIN", default=True)

# Japanese first, English second; dates and times in Tokyo, stored in UTC.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("ja", _("Japanese"))]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Let Django serve uploaded images when no proxy does (the docker-compose stack).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail: every message goes through a Celery task after the transaction
# commits (common.mail); EMAIL_URL chooses how the task finally delivers it.
EMAIL_BACKEND = "common.mail.CeleryEmailBackend"
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_DELIVERY_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "var" / "mail")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="つなぐ <noreply@tsunagu.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis as broker when REDIS_URL is set, in-process otherwise.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's queues, routes and broker options (cms/settings/queues.py).
from .queues import (  # noqa: E402, F401 (settings are read from this module)
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_TASK_DEFAULT_QUEUE,
    CELERY_TASK_QUEUES,
    CELERY_TASK_ROUTES,
)

CELERY_TIMEZONE = TIME_ZONE
# Keep a worker's database connection across tasks instead of reconnecting for each one.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat records each task's last run as it sends it (Celery's default: every 3 min), for /healthz.
CELERY_BEAT_SYNC_EVERY = 1

WAGTAIL_SITE_NAME = "つなぐ Tsunagu"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "pdf", "docx", "doc", "xlsx", "xls", "pptx", "ppt", "odt", "ods", "csv", "txt", "jpg", "jpeg", "png",
]  # fmt: skip
# Checks that an upload's content is what its extension says.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "coordination.meetings.documents.CheckedDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Logs, the error tracker and the health checks' thresholds.
from .operations import (  # noqa: E402, F401 (settings are read from this module)
    HEALTH_BEAT_MAX_AGE,
    HEALTH_WORKER_MAX_AGE,
    LOG_FORMAT,
    LOGGING,
    SENTRY_DSN,
)

# People per transaction when a notification fans out: a worker that dies loses at most one chunk.
NOTIFICATIONS_FAN_OUT_CHUNK = env.int("NOTIFICATIONS_FAN_OUT_CHUNK", default=500)

# Recovery (docs/decisions.md, "Delivery survives a dead worker"). An e-mail, digest, outbox message
# or fan-out not finished this long after it was queued or claimed is presumed lost (a killed worker,
# a queue Redis lost) and the sweep, run this often by beat, queues it again: recovery within about
# STUCK + SWEEP seconds. A live worker claims one message at a time, so STUCK must exceed the longest
# single send, about twice EMAIL_TIMEOUT (connecting, then sending); a shorter one risks duplicates.
DELIVERY_STUCK_AFTER = timedelta(seconds=env.int("DELIVERY_STUCK_SECONDS", default=45))
DELIVERY_SWEEP_EVERY = timedelta(seconds=env.int("DELIVERY_SWEEP_SECONDS", default=15))

# Applications without an account (volunteering, event registration).
#: An application not confirmed from its e-mail within this time gives its places back. The
#: e-mail arrives in seconds; a short window keeps a stranger's unconfirmed places from blocking.
SIGNUP_CONFIRM_WITHIN = timedelta(minutes=env.int("SIGNUP_CONFIRM_MINUTES", default=30))
#: Unconfirmed applications one connection (IP address) and one e-mail address may have at once.
SIGNUP_UNCONFIRMED_PER_IP = env.int("SIGNUP_UNCONFIRMED_PER_IP", default=2)
SIGNUP_UNCONFIRMED_PER_EMAIL = env.int("SIGNUP_UNCONFIRMED_PER_EMAIL", default=2)
#: Shifts one application may take before it is confirmed (more can be added afterwards).
SIGNUP_MAX_SLOTS_PER_APPLICATION = env.int("SIGNUP_MAX_SLOTS_PER_APPLICATION", default=3)
#: Applicants' personal data is deleted this many days after the posting's or event's last date.
SIGNUP_RETENTION_DAYS = env.int("SIGNUP_RETENTION_DAYS", default=90)
# The yearly evaluation: バトンタッチ's keyed hash and how long it is kept (cms/settings/evaluation.py).
from .evaluation import CONTINUITY_KEEP_MONTHS, CONTINUITY_KEY  # noqa: E402, F401

#: Applications taken per IP address (django-ratelimit syntax), counted in the shared cache;
#: a form sent back for a typo does not count.
SIGNUP_RATE_LIMIT = env("SIGNUP_RATE_LIMIT", default="10/h")
#: Survey answers taken per IP address and survey: a venue's Wi-Fi carries many parents at once,
#: a script from one address no more than this.
SURVEY_RATE_LIMIT = env("SURVEY_RATE_LIMIT", default="30/h")
#: Passwords tried on a page's or a collection's password form per IP address (right or wrong).
PAGE_PASSWORD_RATE_LIMIT = env("PAGE_PASSWORD_RATE_LIMIT", default="20/h")
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# Periodic jobs are defined here, in code; django-celery-beat's scheduler copies them at start.
from celery.schedules import crontab  # noqa: E402

from .newsletter import *  # noqa: E402, F403 (subscriptions and 通信, issue 29)

CELERY_BEAT_SCHEDULE = {
    # /healthz reads when beat last sent a task and when a worker last ran this one.
    "health-heartbeat": {
        "task": "cms.tasks.heartbeat",
        "schedule": 60.0,
        # Not piled up while no worker runs: a heartbeat older than a minute proves nothing.
        "options": {"expire_seconds": 55},
    },
    "daily-digest": {
        "task": "coordination.notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "args": ["daily"],
    },
    "weekly-digest": {
        "task": "coordination.notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
        "args": ["weekly"],
    },
    "sweep-stuck-notifications": {
        "task": "coordination.notifications.tasks.sweep_stuck",
        "schedule": DELIVERY_SWEEP_EVERY,
    },
    "meeting-and-action-item-reminders": {
        "task": "coordination.meetings.tasks.send_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "liaison-meeting-flags": {
        "task": "coordination.activity.tasks.notify_liaison_flags",
        "schedule": crontab(hour=8, minute=30),
    },
    "signup-reminders": {
        "task": "coordination.signups.tasks.send_reminders",
        "schedule": crontab(hour=9, minute=5),
    },
    "refresh-event-slots": {
        "task": "coordination.signups.tasks.refresh_event_slots",
        "schedule": crontab(hour=2, minute=30),
    },
    "draw-due-lotteries": {
        "task": "coordination.signups.tasks.draw_due_lotteries",
        "schedule": crontab(minute="*/15"),
    },
    "expire-unconfirmed-signups": {
        "task": "coordination.signups.tasks.expire_unconfirmed",
        "schedule": crontab(minute="*/5"),
    },
    "delete-applicants-personal-data": {
        "task": "coordination.signups.tasks.delete_personal_data",
        "schedule": crontab(hour=3, minute=30),
    },
    "family-marks-sweep": {
        "task": "coordination.activity.tasks.family_marks_sweep",
        "schedule": crontab(hour=3, minute=20),
    },
}
# The LINE official account (cms/settings/line.py).
from .line import *  # noqa: E402, F403

CELERY_BEAT_SCHEDULE |= LINE_BEAT_SCHEDULE | NEWSLETTER_BEAT_SCHEDULE  # noqa: F405
