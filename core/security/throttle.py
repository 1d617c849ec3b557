"""Sign-in throttling per lower-cased login.

After ``max_failures`` failed attempts within the lock window the login is
locked for that window, even for the right password.  Unknown logins are
counted the same way, so a lock does not reveal whether an account exists.
"""

import datetime as dt

from peewee import IntegrityError

from core.db import database
from core.models import LoginThrottle, utcnow


def normalise(login: str) -> str:
    return login.strip().casefold()


def locked_for(login: str) -> dt.timedelta | None:
    """Time left on the lock of ``login``, or None when it may try."""
    row = LoginThrottle.get_or_none(LoginThrottle.login == normalise(login))
    now = utcnow()
    if row and row.locked_until and row.locked_until > now:
        return row.locked_until - now
    return None


def record_failure(login: str, max_failures: int, lock_minutes: int) -> None:
    key, now = normalise(login), utcnow()
    window = dt.timedelta(minutes=lock_minutes)
    with database.atomic():
        row = LoginThrottle.get_or_none(LoginThrottle.login == key)
        if row is None:
            try:
                with database.atomic():
                    row = LoginThrottle.create(login=key, failures=0)
            except IntegrityError:  # a concurrent attempt created it
                row = LoginThrottle.get(LoginThrottle.login == key)
        if row.first_failure_at is None or now - row.first_failure_at > window:
            row.failures, row.first_failure_at = 0, now
        row.failures += 1
        if row.failures >= max_failures:
            row.locked_until = now + window
            row.failures, row.first_failure_at = 0, None
        row.save()


def record_success(login: str) -> None:
    LoginThrottle.delete().where(LoginThrottle.login == normalise(login)).execute()
