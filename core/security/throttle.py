"""Sign-in throttling per client and per lower-cased login.

Each failed sign-in counts twice: against the client it came from (``ClientThrottle``,
whatever login it tried, so guessing many logins from one place is slowed) and against the
login (``LoginThrottle``, so guessing one login from many places is slowed too).  After
``max_failures`` within the window the key is locked for that window.  Unknown logins are
counted the same way, so a lock does not reveal whether an account exists.

The client's own lock stops every attempt from it; a login's lock stops guesses, but not the
right password from a client trusted for that login (see ``core.security.clients``).
"""

import datetime as dt

from peewee import IntegrityError

from core.db import database
from core.models import ClientThrottle, LoginThrottle, utcnow


def normalise(login: str) -> str:
    return login.strip().casefold()


def _row(model, key):
    field = model.login if model is LoginThrottle else model.client
    return model.get_or_none(field == key)


def _locked_for(model, key) -> dt.timedelta | None:
    row, now = _row(model, key), utcnow()
    if row and row.locked_until and row.locked_until > now:
        return row.locked_until - now
    return None


def _record_failure(model, key, max_failures: int, lock_minutes: int) -> None:
    now, window = utcnow(), dt.timedelta(minutes=lock_minutes)
    column = "login" if model is LoginThrottle else "client"
    with database.atomic():
        row = _row(model, key)
        if row is None:
            try:
                with database.atomic():
                    row = model.create(**{column: key, "failures": 0})
            except IntegrityError:  # a concurrent attempt created it
                row = _row(model, key)
        if row.first_failure_at is None or now - row.first_failure_at > window:
            row.failures, row.first_failure_at = 0, now
        row.failures += 1
        if row.failures >= max_failures:
            row.locked_until = now + window
            row.failures, row.first_failure_at = 0, None
        row.save()


def locked_for(login: str) -> dt.timedelta | None:
    """Time left on the lock of ``login``, or None when it may try."""
    return _locked_for(LoginThrottle, normalise(login))


def client_locked_for(client_key: str) -> dt.timedelta | None:
    """Time left on the lock of a client (see ``clients.throttle_key``), or None."""
    return _locked_for(ClientThrottle, client_key)


def record_failure(login: str, max_failures: int, lock_minutes: int) -> None:
    _record_failure(LoginThrottle, normalise(login), max_failures, lock_minutes)


def record_client_failure(client_key: str, max_failures: int, lock_minutes: int) -> None:
    _record_failure(ClientThrottle, client_key, max_failures, lock_minutes)


def record_success(login: str) -> None:
    # The client's counter stays: one valid account must not reset a sprayer's count.
    LoginThrottle.delete().where(LoginThrottle.login == normalise(login)).execute()
