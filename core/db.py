"""The database handle: a peewee ``DatabaseProxy`` bound at run time.

Models import ``database`` at import time; ``create_app`` binds it to SQLite
or PostgreSQL from a URL.  A request takes a connection from a small pool and
gives it back after it: opening one (and, on SQLite, the checkpoint when the
last one closes) cost a quarter of a submission request.
"""

import logging
import select
import time

from peewee import DatabaseProxy, InterfaceError, OperationalError, SqliteDatabase
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from core.log_limit import RateLimitedLog

log = logging.getLogger(__name__)
unavailable_log = RateLimitedLog(log)

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


# PostgreSQL: how long a connection may take to open, and a statement to run (the server
# cancels it); the client gives up GRACE_S after that when the server does not answer at all.
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 60_000
GRACE_S = 2


def open_database(
    url: str,
    busy_timeout_ms: int = 5000,
    connect_timeout_s: int = CONNECT_TIMEOUT_S,
    statement_timeout_ms: int = STATEMENT_TIMEOUT_MS,
):
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
        db = PooledPostgresqlDatabase(
            **parse(url),
            stale_timeout=STALE_AFTER_S,
            connect_timeout=connect_timeout_s,
            options=f"-c statement_timeout={statement_timeout_ms}",
        )
        # statement_timeout 0 (PostgreSQL's "no limit", e.g. for a long migration): no bound.
        answer_s = statement_timeout_ms / 1000 + GRACE_S if statement_timeout_ms else 1e9
        _bound_waits(connect_timeout_s, answer_s)
    return db


def _bound_waits(connect_s: float, answer_s: float) -> None:
    """Make every psycopg2 wait end: a server that accepts connections but never answers
    (a stalled host, a hung proxy) would otherwise hold the request forever, since
    statement_timeout is enforced by the server itself.  psycopg2's wait callback turns its
    blocking calls into polls; the connection whose wait ran out is closed (the pool then
    discards it) and the caller gets an OperationalError, answered with 503."""
    import psycopg2
    from psycopg2 import extensions

    def wait(conn):
        limit = connect_s if conn.status == extensions.STATUS_SETUP else answer_s
        deadline = time.monotonic() + limit
        poller = select.poll()
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise psycopg2.OperationalError(f"the database did not answer within {limit} s")
            poller.register(
                conn.fileno(), select.POLLIN if state == extensions.POLL_READ else select.POLLOUT
            )
            poller.poll(remaining * 1000)
            poller.unregister(conn.fileno())

    extensions.set_wait_callback(wait)


_UNAVAILABLE_SQLITE = ("locked", "busy", "unable to open", "disk i/o")


def is_unavailable(error: BaseException) -> bool:
    """Does ``error`` say the database cannot be reached or did not answer in time (503),
    rather than that a query is wrong (500)?"""
    if isinstance(error, InterfaceError):
        return True  # "connection already closed" and the like
    if not isinstance(error, OperationalError):
        return False
    if is_sqlite():
        return any(text in str(error).lower() for text in _UNAVAILABLE_SQLITE)
    return True  # psycopg2: refused, dropped, timed out, statement cancelled


def release_all() -> None:
    """Close every pooled connection (before a fork, or when the proxy is bound anew):
    a connection must never be shared by two processes."""
    if database.obj is not None:
        database.obj.close_all()


def bind(url: str, busy_timeout_ms: int = 5000, **timeouts):
    """Bind the global proxy to a database for ``url`` and return it (``timeouts``:
    connect_timeout_s, statement_timeout_ms of ``open_database``)."""
    release_all()
    db = open_database(url, busy_timeout_ms, **timeouts)
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


# Endpoints that open their connection themselves, to report a database that is down.
LAZY_ENDPOINTS = {"health.health"}


def init_app(app):
    """Connect before each request, close after it."""
    from flask import request

    @app.before_request
    def _connect():
        if request.endpoint not in LAZY_ENDPOINTS:
            database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if database.is_closed():
            return
        if exc is not None and is_unavailable(exc):
            discard_connection()
            return
        try:
            database.close()
        except (OperationalError, InterfaceError):
            discard_connection()


def discard_connection() -> None:
    """Close this thread's connection for good (never back to the pool): it broke or
    stalled, and the next request opens a fresh one, so the service recovers by itself."""
    state = database.obj._state
    conn = state.conn
    if conn is not None:
        database.obj._in_use.pop(database.obj.conn_key(conn), None)
        database.obj._close_raw(conn)
    state.reset()
