"""Write entries to the append-only audit log."""

from flask import has_request_context, request

from core.models import AuditEntry


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
    """Append one entry; call inside the transaction of the change it describes."""
    remote = (request.remote_addr or "") if has_request_context() else ""
    return AuditEntry.create(
        user=user,
        login=login if login is not None else (user.login if user else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        scope_path=scope_path or "/",
        before=before,
        after=after,
        remote_addr=remote,
    )


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys that differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
