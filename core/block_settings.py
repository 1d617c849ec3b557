"""A programme block's settings per region: declared by the block (``register_settings``:
a marshmallow schema, defaults, a title), stored, validated and audited by the core.

A region stores only what it changed; reading merges that over the block's defaults, so
a default added in a later release reaches every region that never touched it.  The API
and the settings page call the same ``read`` and ``update``.
"""

import copy

from marshmallow import ValidationError

from core import audit
from core.db import database
from core.models import BlockSetting, utcnow
from core.plugin_access import registry

# The permission guarding a block's settings unless its declaration names its own.
DEFAULT_PERMISSION = "settings.manage"


class NoSettings(LookupError):
    """The block declares no settings (or no such block is installed)."""


def declaration(plugin: str) -> dict:
    """{"schema", "defaults", "title", "permission"} of ``plugin``."""
    declared = registry().settings.get(plugin)
    if declared is None:
        raise NoSettings(plugin)
    return {"permission": DEFAULT_PERMISSION, **declared}


def declared_plugins() -> list[str]:
    return sorted(registry().settings)


def merged(base: dict, changes: dict) -> dict:
    """``changes`` over ``base``, nested objects key by key (a procedure left out of the
    thresholds keeps its own)."""
    result = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _region_id(region) -> int:
    return getattr(region, "id", region)


def _stored(region, plugin) -> BlockSetting | None:
    return BlockSetting.get_or_none(
        BlockSetting.region == _region_id(region), BlockSetting.plugin == plugin
    )


def read(region, plugin: str) -> dict:
    """The region's settings of ``plugin`` (an Organization or its id): stored values
    merged over the declared defaults."""
    defaults = declaration(plugin)["defaults"]
    row = _stored(region, plugin)
    return merged(defaults, row.values if row else {})


def settings_for(org, plugin: str) -> dict:
    """The settings that apply at ``org``: those of its region."""
    return read(org.region_id, plugin)


def update(region, plugin: str, values: dict, user) -> dict:
    """Validate ``values`` with the block's schema and store them for the region; the
    audit log keeps the settings before and after.  Raises marshmallow's
    ValidationError (field → Russian messages) and stores nothing when they are wrong."""
    schema = declaration(plugin)["schema"]()
    changes = schema.dump(schema.load(values))  # JSON-ready (dates, decimals)
    with database.atomic():
        row = _stored(region, plugin)
        before = read(region, plugin)
        if row is None:
            row = BlockSetting(region=_region_id(region), plugin=plugin, values={})
        row.values = merged(row.values, changes)
        row.changed_at, row.changed_by = utcnow(), user
        row.save()
        after = read(region, plugin)
        audit.record(
            "update",
            user=user,
            object_type="block_setting",
            object_id=row.id,
            scope_path=region.path,
            before={"plugin": plugin, "values": before},
            after={"plugin": plugin, "values": after},
        )
    return after


__all__ = ["NoSettings", "ValidationError", "declaration", "read", "settings_for", "update"]
