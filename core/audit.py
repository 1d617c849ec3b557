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


def entries(action, *, user=None, object_type="", items) -> list[dict]:
    """Rows of new entries, one per ``(object_id, scope_path, after)``, for a bulk write (an
    import of thousands): the same masking as ``record``, the personal fields read once."""
    from core.personal_data import personal_fields

    personal = personal_fields(object_type)
    common = {
        "user": user.id if user else None,
        "login": user.login if user else "",
        "action": action,
        "object_type": object_type,
        "before": None,
        "remote_addr": remote_addr(),
    }
    return [
        {**common, "object_id": object_id, "scope_path": scope_path or "/",
         "after": _masked(after, personal)}
        for object_id, scope_path, after in items
    ]  # fmt: skip


def _masked(values: dict, personal: set) -> dict:
    return {
        key: SECRET
        if key in SECRET_KEYS
        else PERSONAL
        if key in personal and value not in (None, "", [])
        else value
        for key, value in values.items()
    }


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

    return _masked(values, personal_fields(object_type))
