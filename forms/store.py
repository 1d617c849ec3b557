"""Stored form definitions: versions, and the sync of what plugins declare.

A definition's content is hashed; saving a changed definition under an
existing code creates the next version, an unchanged one reuses the latest.
Submissions keep the version they were made on.
"""

import hashlib
import json

from peewee import IntegrityError, fn

from core.db import database
from forms.definition import load_definition
from forms.models import FormDefinition

# Keys of a block's declaration that are not part of the form: how campaigns open by
# themselves.  Callables ("check", "on_accepted") are left out too: they are code, not
# content, so they neither change the hash nor reach the definition's validation.
NOT_DEFINITION = ("schedule",)


def definition_of(declaration: dict) -> dict:
    """The stored, versioned part of a block's form or checklist declaration."""
    return {
        key: value
        for key, value in declaration.items()
        if key not in NOT_DEFINITION and not callable(value)
    }


def digest(definition: dict) -> str:
    content = {k: v for k, v in definition.items() if k != "version"}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def latest(code: str) -> FormDefinition | None:
    return (
        FormDefinition.select()
        .where(FormDefinition.code == code)
        .order_by(FormDefinition.version.desc())
        .first()
    )


def save(definition: dict, *, plugin=None, scope=None, user=None) -> tuple[FormDefinition, bool]:
    """Store a validated definition; returns (row, created a new version)."""
    content_digest = digest(definition)
    # Read first: an unchanged declaration (every start-up) takes no write lock.
    current = latest(definition["code"])
    if current is not None and current.digest == content_digest:
        return current, False
    with database.atomic():
        current = latest(definition["code"])
        if current is not None and current.digest == content_digest:
            return current, False
        version = (current.version if current else 0) + 1
        row = FormDefinition.create(
            code=definition["code"],
            version=version,
            title=definition["title"],
            kind=definition["kind"],
            level=definition["level"],
            plugin=plugin,
            scope=scope,
            definition={**definition, "version": version},
            digest=content_digest,
            created_by=user,
        )
    return row, True


# Keys of a declaration that are not part of the stored definition: when campaigns open
# is no new version of the form.  (Callables such as "check" are dropped as well.)


def sync_registered(registry) -> int:
    """Store the forms and checklists plugins declare; returns how many versions were added."""
    added = 0
    for kind in ("forms", "checklists"):
        for declaration in registry.items(kind):
            definition = load_definition(
                {
                    "kind": "checklist" if kind == "checklists" else "form",
                    **definition_of(declaration),
                }
            )
            try:
                _, created = save(definition, plugin=registry.owner(kind, declaration["code"]))
            except IntegrityError:  # another worker stored the same version first
                created = False
            added += created
    return added


def get(code: str, version: int | None = None) -> FormDefinition | None:
    if version is None:
        return latest(code)
    return FormDefinition.get_or_none(
        FormDefinition.code == code, FormDefinition.version == version
    )


def codes_latest():
    """Subquery: the latest version id of every code."""
    return FormDefinition.select(fn.MAX(FormDefinition.id)).group_by(FormDefinition.code)


def versions_of(code: str):
    """Subquery: ids of every version of ``code``."""
    return FormDefinition.select(FormDefinition.id).where(FormDefinition.code == code)
