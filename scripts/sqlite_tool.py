"""SQLite for scripts/backup and scripts/restore, with Python's own sqlite3 (no Django needed).

python3 scripts/sqlite_tool.py backup SOURCE TARGET   a consistent copy of a live database
python3 scripts/sqlite_tool.py check FILE             exit 1 unless FILE is a sound database
"""

import sqlite3
import sys
from pathlib import Path


def check(path: Path) -> str | None:
    """What is wrong with the database in `path` (a copy of ours), or None when `PRAGMA
    integrity_check` finds it sound and it holds at least one table. Opened for writing, never
    created: closing it removes the -wal and -shm files a copy in WAL mode gets when opened."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[
                0
            ]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    if problems != ["ok"]:
        return "; ".join(problems[:5])
    return None if tables else "it holds no table"


def backup(source: Path, target: Path) -> str | None:
    """Copy `source` to `target` with SQLite's online backup (safe while the site writes), reading
    the source without ever creating it; then check the copy."""
    if not source.is_file():
        return f"{source} does not exist"
    try:
        reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        writer = sqlite3.connect(target)
        try:
            with writer:
                reader.backup(writer)
        finally:
            reader.close()
            writer.close()
    except sqlite3.DatabaseError as error:
        return f"{source}: {error}"
    problem = check(target)
    return f"the copy of {source} is not sound: {problem}" if problem else None


def main(argv: list[str]) -> int:
    command, *paths = argv
    problem = backup(*map(Path, paths)) if command == "backup" else check(Path(paths[0]))
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
