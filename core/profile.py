"""A person's growth profile: the staff card, every activity with Russian labels, and the
sections blocks contribute (``staff_profile`` hook).  The API (and later a page) checks
visibility and logs the personal-data read, then calls ``build``."""

import datetime as dt

from core import activities
from core.activation import is_enabled
from core.models.staff import CATEGORIES
from core.plugin_access import manager, registry
from core.plugins import ENGINES, per_plugin


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
    """What the blocks switched on at the person's organisation say about them."""
    found = []
    names = registry().module_names
    for module_name, contributed in per_plugin(manager(), "staff_profile", staff=staff,
                                               principal=principal):  # fmt: skip
        name = names.get(module_name, module_name)
        if name not in ENGINES and not is_enabled(staff.organization, name):
            continue
        found.extend(_section(name, section) for section in contributed)
    return found


def build(staff, principal) -> dict:
    """The profile of ``staff`` as ``principal`` (already allowed to see them) reads it."""
    org = staff.organization
    return {
        "staff": staff,
        "organization": {"id": org.id, "name": org.name},
        "category": activities.choice(staff.category, CATEGORIES),
        "activities": [activities.labelled(row) for row in activities.of(staff)],
        "sections": sections(staff, principal),
    }
