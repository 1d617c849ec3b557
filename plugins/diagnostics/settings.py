"""Per-region catalogue and settings, with the shipped defaults until a region sets its own."""

from decimal import Decimal

from peewee import IntegrityError

from core.db import database
from plugins.diagnostics.catalogue import (
    DEFAULT_DEFICITS,
    DEFAULT_LOAD_CAP,
    DEFAULT_THRESHOLDS,
    PROCEDURES,
)
from plugins.diagnostics.models import Deficit, Setting


def settings_for(region_id) -> Setting:
    """The region's settings (unsaved defaults if it stored none)."""
    row = Setting.get_or_none(Setting.region == region_id)
    return row or Setting(region=region_id, thresholds={}, load_cap=DEFAULT_LOAD_CAP)


def thresholds(setting: Setting, procedure: str) -> dict:
    return {**DEFAULT_THRESHOLDS, **(setting.thresholds or {}).get(procedure, {})}


def all_thresholds(setting: Setting) -> dict:
    return {procedure: thresholds(setting, procedure) for procedure in PROCEDURES}


def level_for(score, limits: dict) -> str:
    """The best level whose threshold the score reaches; "low" below "basic"."""
    score = Decimal(str(score))
    for level in ("high", "elevated", "basic"):
        if score >= Decimal(str(limits[level])):
            return level
    return "low"


def deficits_of(region_id):
    """The region's deficit catalogue, created from the shipped defaults on first use."""
    query = Deficit.select().where(Deficit.region == region_id)
    if not query.exists():
        try:
            with database.atomic():
                Deficit.insert_many(
                    [
                        {"region": region_id, "area": area, "title": title, "active": True}
                        for area, titles in DEFAULT_DEFICITS.items()
                        for title in titles
                    ]
                ).execute()
        except IntegrityError:
            pass  # another request created it at the same moment (unique region, area, title)
    return query.order_by(Deficit.area, Deficit.id)


def deficit_titles(ids) -> dict[int, str]:
    if not ids:
        return {}
    rows = Deficit.select(Deficit.id, Deficit.title).where(Deficit.id.in_(list(ids)))
    return dict(rows.tuples())
