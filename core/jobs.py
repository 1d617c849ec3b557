"""The background job queue: huey, with SQLite storage in the instance folder by default
and Redis when METODNET_REDIS_URL is set.  Queued jobs survive a restart of the web
process; `metodnet worker` runs them (and the periodic ones)."""

import os
from pathlib import Path

from flask import has_app_context
from huey import RedisHuey, SqliteHuey


def _instance_path() -> Path:
    return Path(os.environ.get("METODNET_INSTANCE_PATH") or Path.cwd() / "instance")


def make_huey():
    url = os.environ.get("METODNET_REDIS_URL")
    if url:
        return RedisHuey("metodnet", url=url)
    folder = _instance_path()
    folder.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("metodnet", filename=str(folder / "jobs.sqlite3"))


huey = make_huey()


def in_app(function, *args):
    """Run ``function`` in an application context: the current one (immediate mode in
    tests), or a new app in the worker process."""
    if has_app_context():
        return function(*args)
    from core.app import create_app

    with create_app().app_context():
        return function(*args)
