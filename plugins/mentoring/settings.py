"""The block's settings per region, kept by the core (``register_settings``): the coverage
target (70 % by default, Tomsk sets 100 %) and the number of mentees above which a mentor
is flagged."""

from marshmallow import fields, validate

from core import block_settings
from core.schemas.base import BaseSchema

NAME = "mentoring"


class MentoringSettingsSchema(BaseSchema):
    coverage_target = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=100),
        metadata={"title": "Целевой охват молодых педагогов наставничеством, %"},
    )
    mentee_cap = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=20),
        metadata={"title": "Наставляемых у одного наставника, не более"},
    )


DECLARATION = {
    "schema": MentoringSettingsSchema,
    "defaults": {"coverage_target": 70, "mentee_cap": 3},
    "title": "Наставничество",
    "permission": "mentoring.settings.manage",
}


def settings_for(org) -> dict:
    """The settings of ``org``'s region: {"coverage_target", "mentee_cap"}."""
    return block_settings.settings_for(org, NAME)
