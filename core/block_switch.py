"""Switching a programme block on or off at a region, hub or municipality, as a person
does it (the API's PUT/DELETE and the organisation card): the setting and its audit entry."""

from core import activation, audit
from core.db import database
from core.models.organization import ACTIVATION_KINDS, KINDS
from core.plugin_access import registry


class SwitchError(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def switch(org, name: str, enabled: bool, user) -> None:
    """The caller has checked ``plugin.manage`` at ``org``.  Raises LookupError for a block
    that is not installed, SwitchError for a level where blocks are not switched."""
    if name not in registry().plugins:
        raise LookupError("Программный блок не установлен.")
    if org.kind not in ACTIVATION_KINDS:
        allowed = ", ".join(KINDS[k].lower() for k in ACTIVATION_KINDS)
        raise SwitchError("organization_id", f"Блоки включаются на уровне: {allowed}.")
    with database.atomic():
        previous, new = activation.set_enabled(org, name, enabled, user)
        audit.record(
            "plugin_enable" if enabled else "plugin_disable",
            user=user,
            object_type="plugin_activation",
            object_id=org.id,
            scope_path=org.path,
            before={"plugin": name, "enabled": previous},
            after={"plugin": name, "enabled": new},
        )
