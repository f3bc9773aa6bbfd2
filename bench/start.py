"""What the in-process bench scripts do first: Django on a fresh database holding the demo data.

The scripts put the project's root on sys.path and call :func:`start_django` before importing
anything of Django's or the project's (settings are read from the environment set here).
"""

import os
import tempfile


def start_django(database_url: str | None = None, **environment: str) -> str:
    """Set Django up on `database_url` (or a fresh SQLite file), migrate, load the demo data.

    The demo's people with passwords are left out: the scripts make the accounts they log in
    with. Extra keyword arguments are environment variables (e.g. EMAIL_URL). Returns the
    scratch folder (the SQLite file, static files).
    """
    workdir = tempfile.mkdtemp(prefix="tsunagu-bench-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": database_url or f"sqlite:///{workdir}/bench.sqlite3",
            "DEBUG": "False",
            "LOG_LEVEL": "WARNING",
            "STATIC_ROOT": workdir,
            **environment,
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    from cms.demo import load_demo_data

    call_command("migrate", verbosity=0)
    load_demo_data(with_accounts=False)
    return workdir
