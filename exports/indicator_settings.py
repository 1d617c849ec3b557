"""The region's settings of the indicators (``register_settings`` of the exports engine,
served at /api/v1/organizations/{region}/settings/exports and on the settings page).

Which staff positions count as methodists: a comma-separated list of words; a position
counts when it contains one of them, whatever the letter case («Старший методист»,
«методист ММС»).  By default the one word «методист».
"""

from marshmallow import ValidationError, fields, validate

from core import block_settings
from core.schemas.base import BaseSchema

NAME = "exports"
DEFAULT_METHODIST_WORDS = "методист"


def words(text: str) -> list[str]:
    """The list's words, lower-cased, blanks dropped."""
    return [w.strip().casefold() for w in text.split(",") if w.strip()]


def _some_word(text):
    if not words(text):
        raise ValidationError("Укажите хотя бы одно слово должности методиста.")


class IndicatorSettingsSchema(BaseSchema):
    methodist_positions = fields.String(
        required=True,
        validate=[validate.Length(max=500), _some_word],
        metadata={
            "title": "Должности методистов: слова через запятую (должность, содержащая "
            "любое из них, считается должностью методиста)"
        },
    )


DECLARATION = {
    "schema": IndicatorSettingsSchema,
    "defaults": {"methodist_positions": DEFAULT_METHODIST_WORDS},
    "title": "Показатели",
}


def methodist_words(region_id) -> list[str]:
    """The region's words naming methodist positions."""
    return words(block_settings.read(region_id, NAME)["methodist_positions"])


def is_methodist(position: str | None, region_words: list[str]) -> bool:
    position = (position or "").casefold()
    return any(word in position for word in region_words)
