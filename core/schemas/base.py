"""Base schema: unknown fields are refused, messages are Russian."""

from marshmallow import RAISE, Schema, fields, validate

import core.api.messages  # noqa: F401  (installs the Russian messages)


class BaseSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class PageArgs(BaseSchema):
    """Query arguments of every list: ?page=1&per_page=50."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
