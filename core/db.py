"""The database handle: a peewee ``DatabaseProxy`` bound at run time.

Models import ``database`` at import time; ``create_app`` binds it to SQLite
or PostgreSQL from a URL.  A request takes a connection from a small pool and
gives it back after it: opening one (and, on SQLite, the checkpoint when the
last one closes) cost a quarter of a submission request.
"""

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

database = DatabaseProxy()


def sqlite_pragmas(busy_timeout_ms: int) -> dict:
    # WAL lets readers run beside a writer; synchronous=FULL makes a commit
    # durable before it is acknowledged (nothing accepted is ever lost).
    return {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": busy_timeout_ms,
        "synchronous": "full",
    }


STALE_AFTER_S = 300  # a pooled connection idle this long is closed instead of reused


class ImmediateSqliteDatabase(PooledSqliteDatabase):
    """Transactions take the write lock when they begin (BEGIN IMMEDIATE).

    A deferred transaction that reads and then writes fails at once with "database is
    locked" when another connection wrote in between (WAL cannot upgrade a stale
    snapshot, and the busy timeout does not apply); taking the lock first makes
    concurrent writers wait their turn instead.
    """

    def begin(self, lock_type="IMMEDIATE"):
        return super().begin(lock_type)


def open_database(url: str, busy_timeout_ms: int = 5000):
    """Create a peewee database for ``url`` (sqlite:///path or postgresql://...)."""
    if url.startswith("sqlite"):
        db = ImmediateSqliteDatabase(
            **parse(url),
            pragmas=sqlite_pragmas(busy_timeout_ms),
            stale_timeout=STALE_AFTER_S,
            # The pool hands a connection to one thread at a time, maybe not the one that
            # opened it.
            check_same_thread=False,
        )
        db.timeout = busy_timeout_ms / 1000
    else:
        db = PooledPostgresqlDatabase(**parse(url), stale_timeout=STALE_AFTER_S)
    return db


def release_all() -> None:
    """Close every pooled connection (before a fork, or when the proxy is bound anew):
    a connection must never be shared by two processes."""
    if database.obj is not None:
        database.obj.close_all()


def bind(url: str, busy_timeout_ms: int = 5000):
    """Bind the global proxy to a database for ``url`` and return it."""
    release_all()
    db = open_database(url, busy_timeout_ms)
    database.initialize(db)
    return db


def write_transaction():
    """A transaction for read-then-write: on SQLite it takes the write lock at BEGIN
    (IMMEDIATE), so what it reads cannot be overtaken by another writer before it writes
    (a deferred one would fail with "database is locked" instead)."""
    return database.atomic("IMMEDIATE") if is_sqlite() else database.atomic()


_SQL_TEXT: dict = {}


def cached_select(key: str, query, params: tuple):
    """``query`` (a peewee select) run with its SQL text generated once per ``key`` and backend.

    Building the SQL text was a third of a submission request (every query, every
    request); hot fixed-shape queries reuse it.  ``params`` are the query's parameters in
    order, as the driver gets them; the first call checks them against peewee's own.
    Returns the query, ready to iterate (rows hydrated by peewee as usual).
    """
    slot = (key, type(database.obj))
    sql = _SQL_TEXT.get(slot)
    if sql is None:
        sql, actual = query.sql()
        if tuple(actual) != tuple(params):
            raise ValueError(f"cached_select {key!r}: parameters {params!r} != {actual!r}")
        _SQL_TEXT[slot] = sql
    cursor = database.execute_sql(sql, params)
    query._cursor_wrapper = query._get_cursor_wrapper(cursor)
    return query


def first_cached(key: str, query, params: tuple):
    """The first row of ``cached_select`` on ``query.limit(1)`` (``params`` without the limit)."""
    return next(iter(cached_select(key, query.limit(1), (*params, 1))), None)


def is_sqlite() -> bool:
    return isinstance(database.obj, SqliteDatabase)


def init_app(app):
    """Connect before each request, close after it."""

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()
