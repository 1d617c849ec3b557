"""Idempotency keys: the same key twice gives one record; a different body answers 409."""

import hashlib
from functools import wraps

from flask import Response, request
from peewee import IntegrityError

from core.api.auth import current
from core.api.errors import ApiError
from core.db import database
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
        record = IdempotencyRecord.get_or_none(
            IdempotencyRecord.user == user, IdempotencyRecord.key == key
        )
        if record is not None:
            if record.fingerprint != fingerprint:
                raise ApiError(
                    409,
                    "Этот ключ идемпотентности уже использован для другого запроса.",
                    code="idempotency_conflict",
                )
            return _replay(record)
        response = view(*args, **kwargs)
        if 200 <= response.status_code < 300:
            try:
                with database.atomic():
                    IdempotencyRecord.create(
                        user=user,
                        key=key,
                        fingerprint=fingerprint,
                        status=response.status_code,
                        body=response.get_data(as_text=True),
                    )
            except IntegrityError:  # a concurrent twin stored it first: that one stands
                pass
        return response

    return wrapper
