"""SQLite plans its queries from the statistics ANALYZE writes (sqlite_stat1); without them it
guesses, and with years of pages it guessed wrong: the public areas of the calendar's filter were
found by reading every page of the site (0.3 s at 70,000 pages) instead of the 13 areas (issue 30).
Every migrate (each deployment) and bench/history.py refresh them; PostgreSQL's autovacuum keeps
its own."""

from django.db import connections


def analyze_sqlite(sender=None, using="default", **kwargs) -> None:
    """post_migrate receiver: ANALYZE on SQLite (under a second on a city's data), nothing elsewhere."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
