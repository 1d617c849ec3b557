"""Write entries to the append-only audit log."""

from flask import has_request_context, request

from core.models import AuditEntry

PERSONAL = "[персональные данные]"
SECRET = "[секрет]"

# Keys whose values are personal data come from the vocabulary "personal_data_fields"
# (core.personal_data.personal_fields), which blocks extend.
# Never logged for any object.
SECRET_KEYS = ("password", "password_hash", "token", "token_hash")


def record(
    action,
    *,
    user=None,
    object_type="",
    object_id=None,
    scope_path="/",
    before=None,
    after=None,
    login=None,
):
    """Append one entry; call inside the transaction of the change it describes.
    Personal data values and secrets in ``before``/``after`` are masked (152-FZ)."""
    return AuditEntry.create(
        user=user,
        login=login if login is not None else (user.login if user else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        scope_path=scope_path or "/",
        before=redact(object_type, before),
        after=redact(object_type, after),
        remote_addr=remote_addr(),
    )


def remote_addr() -> str:
    return (request.remote_addr or "") if has_request_context() else ""


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys that differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def redact(object_type: str, values):
    """A copy of an audit before/after mapping with personal data and secrets masked."""
    if not isinstance(values, dict):
        return values
    from core.personal_data import personal_fields  # it records through this module

    personal = personal_fields(object_type)
    masked = {}
    for key, value in values.items():
        if key in SECRET_KEYS:
            masked[key] = SECRET
        elif key in personal and value not in (None, "", []):
            masked[key] = PERSONAL
        else:
            masked[key] = value
    return masked
