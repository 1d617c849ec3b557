"""Backup and restore of the whole database.

SQLite: sqlite3's online backup API copies a consistent snapshot page by page while the
server keeps running (a plain file copy could catch a half-written WAL). PostgreSQL:
``pg_dump`` in its custom format, restored by ``pg_restore`` in one transaction.
"""

import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlparse


class BackupError(Exception):
    pass


def _sqlite_path(url: str) -> str:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if not path or path == ":memory:":
        raise BackupError("Резервная копия делается только для базы в файле.")
    return path


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or (
        f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
    )
    if not found:
        raise BackupError(f"Не найдена программа {name} (пакет postgresql-client).")
    return found


def _pg_url(url: str) -> str:
    # libpq understands postgresql:// URIs; peewee also accepts postgres:// and postgresext://.
    parts = urlparse(url)
    return parts._replace(scheme="postgresql").geturl()


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or f"{command[0]} завершилась с ошибкой")


def backup(url: str, target: Path) -> None:
    """Write a backup of the database at ``url`` to the file ``target``."""
    target = Path(target)
    if url.startswith("sqlite"):
        partial = target.with_name(target.name + ".partial")
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        partial.replace(target)  # never leave a truncated file under the requested name
    else:
        _run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "-f", str(target), _pg_url(url)]
        )


def restore(url: str, source: Path) -> None:
    """Replace the contents of the database at ``url`` with the backup ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Файл {source} не найден.")
    if url.startswith("sqlite"):
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("Файл резервной копии повреждён.")
            target = sqlite3.connect(_sqlite_path(url))
            try:
                backup_db.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"Это не резервная копия SQLite: {error}") from None
        finally:
            backup_db.close()
    else:
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "-d",
                _pg_url(url),
                str(source),
            ]
        )
