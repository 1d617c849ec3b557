"""Idempotency keys: the same key twice gives one record; a different body answers 409.

The key is claimed (a row with status 0) before the view runs: a twin arriving while the
first is still running answers 409 ``idempotency_in_progress`` instead of running again;
afterwards it gets the stored answer replayed."""

import datetime as dt
import hashlib
from functools import wraps

from flask import Response, request
from peewee import IntegrityError

from core.api.auth import current
from core.api.errors import ApiError
from core.db import database
from core.models import utcnow
from core.schemas.base import CONTROL
from forms.models import IdempotencyRecord

HEADER = "Idempotency-Key"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _replay(record):
    response = Response(record.body, status=record.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


# A claim whose request never finished (the server was killed) is abandoned after this.
ABANDONED_AFTER = dt.timedelta(seconds=60)
IN_PROGRESS = 0  # status of a claimed key whose request is still running


def _existing(user, key, fingerprint):
    """The answer for a key already claimed: a replay, or 409; None when free again."""
    record = IdempotencyRecord.get_or_none(
        IdempotencyRecord.user == user, IdempotencyRecord.key == key
    )
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise ApiError(
            409,
            "Этот ключ идемпотентности уже использован для другого запроса.",
            code="idempotency_conflict",
        )
    if record.status != IN_PROGRESS:
        return _replay(record)
    if utcnow() - record.created_at < ABANDONED_AFTER:
        raise ApiError(
            409,
            "Запрос с этим ключом идемпотентности ещё выполняется; повторите его чуть позже.",
            code="idempotency_in_progress",
        )
    # Abandoned: whoever deletes it takes the key over.
    IdempotencyRecord.delete().where(
        IdempotencyRecord.id == record.id, IdempotencyRecord.status == IN_PROGRESS
    ).execute()
    return None


def _claim(user, key, fingerprint):
    """Claim the key before running the view, so that concurrent twins wait their turn."""
    try:
        with database.atomic():
            return IdempotencyRecord.create(
                user=user, key=key, fingerprint=fingerprint, status=IN_PROGRESS, body=""
            )
    except IntegrityError:  # a twin claimed it a moment ago
        return None


def idempotent(view):
    """Wrap a state-changing view: replay the stored answer for a repeated key."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not key.strip() or len(key) > 200 or CONTROL.search(key):
            raise ApiError(
                400, "Некорректный заголовок Idempotency-Key.", code="bad_idempotency_key"
            )
        user = current().user
        fingerprint = _fingerprint()
        answer = _existing(user, key, fingerprint)
        if answer is not None:
            return answer
        claim = _claim(user, key, fingerprint)
        if claim is None:  # a twin claimed the key between our look and our claim
            answer = _existing(user, key, fingerprint)
            if answer is not None:
                return answer
            raise ApiError(409, "Повторите запрос.", code="idempotency_in_progress")
        try:
            response = view(*args, **kwargs)
        except BaseException:
            _release(claim)  # refused or failed: the client may retry with the same key
            raise
        if 200 <= response.status_code < 300:
            IdempotencyRecord.update(
                status=response.status_code, body=response.get_data(as_text=True)
            ).where(IdempotencyRecord.id == claim.id).execute()
        else:
            _release(claim)
        return response

    return wrapper


def _release(claim):
    IdempotencyRecord.delete().where(IdempotencyRecord.id == claim.id).execute()
