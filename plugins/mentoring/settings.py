"""The block's settings per region, kept by the core (``register_settings``): the number of
mentees above which a mentor is flagged.  The coverage target is no setting: like every
indicator's, it is set per region and year among the targets (exports/targets.py), so a
change for one year never rewrites another's status."""

from marshmallow import fields, validate

from core import block_settings
from core.schemas.base import BaseSchema

NAME = "mentoring"


class MentoringSettingsSchema(BaseSchema):
    mentee_cap = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=20),
        metadata={"title": "Наставляемых у одного наставника, не более"},
    )


DECLARATION = {
    "schema": MentoringSettingsSchema,
    "defaults": {"mentee_cap": 3},
    "title": "Наставничество",
    "permission": "mentoring.settings.manage",
}


def settings_for(org) -> dict:
    """The settings of ``org``'s region: {"mentee_cap"}."""
    return block_settings.settings_for(org, NAME)
