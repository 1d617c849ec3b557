"""Per-region catalogue and settings, with the shipped defaults until a region sets its own.

The settings (level thresholds by procedure, the active's load cap) are kept by the core
(``register_settings``); the deficit catalogue is the block's own table.
"""

from decimal import Decimal

from marshmallow import ValidationError, fields, validate, validates_schema
from peewee import IntegrityError

from core import block_settings
from core.db import database
from core.schemas.base import BaseSchema
from plugins.diagnostics.catalogue import (
    DEFAULT_DEFICITS,
    DEFAULT_LOAD_CAP,
    DEFAULT_THRESHOLDS,
    PROCEDURES,
)
from plugins.diagnostics.models import Deficit

NAME = "diagnostics"


def _percent(title):
    """A level's lower bound, in percent of the maximum score (the settings page shows the
    title)."""
    return fields.Float(
        validate=validate.Range(min=0, max=100), required=True, metadata={"title": title}
    )


class ThresholdSchema(BaseSchema):
    high = _percent("Высокий уровень, % от максимума")
    elevated = _percent("Повышенный уровень, % от максимума")
    basic = _percent("Базовый уровень, % от максимума")

    @validates_schema
    def _descending(self, data, **kwargs):
        if not data["high"] > data["elevated"] > data["basic"]:
            raise ValidationError(
                "Пороги должны убывать: высокий > повышенный > базовый.", "elevated"
            )


class ThresholdsSchema(BaseSchema):
    """Thresholds by procedure; a procedure left out keeps its current thresholds."""

    federal = fields.Nested(ThresholdSchema, metadata={"title": PROCEDURES["federal"]})
    regional = fields.Nested(ThresholdSchema, metadata={"title": PROCEDURES["regional"]})
    municipal = fields.Nested(ThresholdSchema, metadata={"title": PROCEDURES["municipal"]})
    self = fields.Nested(ThresholdSchema, metadata={"title": PROCEDURES["self"]})


class DiagnosticsSettingsSchema(BaseSchema):
    thresholds = fields.Nested(
        ThresholdsSchema,
        required=True,
        metadata={"title": "Пороги уровней, % от максимального балла"},
    )
    load_cap = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=50),
        metadata={"title": "Открытых шагов маршрутов у члена актива, не более"},
    )


DECLARATION = {
    "schema": DiagnosticsSettingsSchema,
    "defaults": {
        "thresholds": {procedure: dict(DEFAULT_THRESHOLDS) for procedure in PROCEDURES},
        "load_cap": DEFAULT_LOAD_CAP,
    },
    "title": "Диагностика: пороги уровней и нагрузка актива",
    "permission": "diagnostics.settings.manage",
}


def settings_for(region_id) -> dict:
    """The region's settings: {"thresholds": {procedure: {...}}, "load_cap"}."""
    return block_settings.read(region_id, NAME)


def thresholds(setting: dict, procedure: str) -> dict:
    return {**DEFAULT_THRESHOLDS, **setting["thresholds"].get(procedure, {})}


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
