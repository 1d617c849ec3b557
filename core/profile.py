"""A person's growth profile: the staff card, every activity with Russian labels, and the
sections blocks contribute (``staff_profile`` hook).  The API (and later a page) checks
visibility and logs the personal-data read, then calls ``build``."""

import datetime as dt

from core import activities
from core.activation import enabled_plugins
from core.models.staff import CATEGORIES
from core.plugin_access import manager, registry
from core.plugins import ENGINES


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _section(name, section) -> dict:
    return {
        "block": name,
        "code": section["code"],
        "title": section["title"],
        "items": [
            {
                "label": item["label"],
                "value": _plain(item.get("value")),
                "date": _plain(item.get("date")),
                "href": item.get("href"),
            }
            for item in section.get("items", [])
        ],
    }


def sections(staff, principal) -> list[dict]:
    """What the engines and the blocks switched on at the person's organisation say about
    them, each with its name; a block switched off there is not asked at all."""
    pm, names = manager(), registry().module_names
    on = enabled_plugins(staff.organization, set(registry().plugins)) | set(ENGINES)
    plugins = [impl.plugin for impl in pm.hook.staff_profile.get_hookimpls()]
    found = []
    for plugin in plugins:
        name = names.get(pm.get_name(plugin))
        if name not in on:
            continue
        others = [other for other in plugins if other is not plugin]
        ask = pm.subset_hook_caller("staff_profile", remove_plugins=others)
        for contributed in ask(staff=staff, principal=principal):
            found.extend(_section(name, section) for section in contributed or [])
    return found


def build(staff, principal) -> dict:
    """The profile of ``staff`` as ``principal`` (already allowed to see them) reads it."""
    org, kinds = staff.organization, activities.kinds()
    return {
        "staff": staff,
        "organization": {"id": org.id, "name": org.name},
        "category": activities.choice(staff.category, CATEGORIES),
        "activities": [activities.labelled(row, kinds) for row in activities.of(staff)],
        "sections": sections(staff, principal),
    }
