"""Which programme blocks are switched on for an organisation.

A setting on a region, hub or municipality applies to its whole subtree;
the nearest setting wins, so a municipality can opt out of a block the
region enabled.  With no setting a block is off.  Data is never deleted
when a block is switched off.
"""

from core.models import PluginActivation, utcnow


def settings_along(org) -> dict[str, PluginActivation]:
    """The nearest activation row per plugin on the path root → ``org``."""
    ids = org.ancestor_ids()
    depth = {org_id: position for position, org_id in enumerate(ids)}
    nearest: dict[str, PluginActivation] = {}
    for row in PluginActivation.select().where(PluginActivation.organization.in_(ids)):
        current = nearest.get(row.plugin)
        if current is None or depth[row.organization_id] > depth[current.organization_id]:
            nearest[row.plugin] = row
    return nearest


def enabled_plugins(org, installed) -> set[str]:
    return {name for name, row in settings_along(org).items() if row.enabled and name in installed}


def is_enabled(org, name) -> bool:
    row = settings_along(org).get(name)
    return bool(row and row.enabled)


def set_enabled(org, name, enabled, user=None) -> tuple[bool | None, bool]:
    """Store the setting on ``org``; return (previous explicit value, new value)."""
    row = PluginActivation.get_or_none(organization=org, plugin=name)
    previous = None if row is None else row.enabled
    if row is None:
        PluginActivation.create(organization=org, plugin=name, enabled=enabled, changed_by=user)
    else:
        row.enabled, row.changed_at, row.changed_by = enabled, utcnow(), user
        row.save()
    return previous, enabled
