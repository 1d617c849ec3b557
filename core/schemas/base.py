"""Base schema: unknown fields are refused, control characters too, messages are Russian."""

import datetime as dt
import re

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

import core.schemas.messages  # noqa: F401  (installs the Russian messages)

# C0 controls except tab, line feed and carriage return; DEL.  PostgreSQL
# cannot store NUL at all, and the others only ever arrive by accident or attack.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "Недопустимые управляющие символы."


def _has_control(value) -> bool:
    if isinstance(value, str):
        return bool(CONTROL.search(value))
    if isinstance(value, list):
        return any(isinstance(item, str) and CONTROL.search(item) for item in value)
    return False


# The largest integer both databases store (PostgreSQL bigint, SQLite INTEGER): beyond it a
# lookup or a write would fail inside the driver instead of answering 4xx.
MAX_INT = 2**63 - 1


class UtcDateTime(fields.DateTime):
    """Timestamps are stored as naive UTC; answers say so (RFC 3339 needs the offset)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class OptionalEmail(fields.Email):
    """An e-mail address, or "" for none."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "":
            return ""
        return super()._deserialize(value, attr, data, **kwargs)


class BaseSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    def on_bind_field(self, field_name, field_obj):
        # Every integer, unless a field says otherwise, fits the databases' integers.
        if isinstance(field_obj, fields.Integer) and not any(
            isinstance(v, validate.Range) for v in field_obj.validators
        ):
            field_obj.validators.append(validate.Range(min=-MAX_INT, max=MAX_INT))

    @pre_load
    def _refuse_control_characters(self, data, **kwargs):
        if isinstance(data, dict):
            bad = {key: [CONTROL_MESSAGE] for key, value in data.items() if _has_control(value)}
            if bad:
                raise ValidationError(bad)
        return data


class PageArgs(BaseSchema):
    """Query arguments of every list: ?page=1&per_page=50."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10**9))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
