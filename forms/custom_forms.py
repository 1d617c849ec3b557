"""A custom form or checklist added by a methodist or the operator: one domain function for
POST /api/v1/forms (/checklists) and the «Добавить форму» page."""

from core import audit
from core.db import database
from forms import store
from forms.workflow import WorkflowError


def add(principal, kind, definition, scope):
    """Store ``definition`` (already loaded by DefinitionSchema) as a new form of ``scope``,
    or its next version; returns (row, created). Refusals name the field."""
    if definition["kind"] != kind:
        message = f"Ожидалось «{kind}»."
        raise WorkflowError(422, "validation_error", message, {"kind": [message]})
    current_row = store.latest(definition["code"])
    if current_row is not None and (
        current_row.plugin is not None or current_row.scope_id != scope.id
    ):
        message = "Код уже занят формой программного блока или другой области."
        raise WorkflowError(409, "duplicate", message, {"code": [message]})
    with database.atomic():
        row, created = store.save(definition, scope=scope, user=principal.user)
        if created:
            audit.record(
                "create",
                user=principal.user,
                object_type="form_definition",
                object_id=row.id,
                scope_path=scope.path,
                after={"code": row.code, "version": row.version},
            )
    return row, created
