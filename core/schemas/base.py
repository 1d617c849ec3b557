"""Base schema: unknown fields are refused, control characters too, messages are Russian.

``text_problem`` is the one rule for every text the service accepts (API fields, form
values, import cells): no control characters, no lone UTF-16 surrogates."""

import datetime as dt
import re

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

import core.schemas.messages  # noqa: F401  (installs the Russian messages)

# C0 controls except tab, line feed and carriage return; DEL.  PostgreSQL
# cannot store NUL at all, and the others only ever arrive by accident or attack.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "Недопустимые управляющие символы."
# JSON's "\ud800" decodes to a lone surrogate: no encoding (UTF-8 for the databases,
# the log, an export) can write it, so it is refused where it arrives.
SURROGATE = re.compile(r"[\ud800-\udfff]")
SURROGATE_MESSAGE = "Недопустимый символ: непарный суррогат UTF-16."
BLANK_MESSAGE = "Поле не может состоять только из пробелов."
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")  # either: one pass


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    found = UNSTORABLE.search(value)
    if found is None:
        return None
    return SURROGATE_MESSAGE if SURROGATE.match(found.group()) else CONTROL_MESSAGE


def _problems(data: dict) -> dict:
    """marshmallow-shaped messages for the unstorable texts inside a loaded JSON object:
    ``{"data": {"title": [...]}}`` names a nested key; inside a list, the list is named."""
    bad = {}
    for key, value in data.items():
        path, problem = _first_problem(value)
        if problem:
            node, name = bad, key
            for part in path:
                node, name = node.setdefault(name, {}), part
            node[name] = [problem]
    return bad


def _first_problem(value) -> tuple[tuple, str | None]:
    """(keys leading to it, message) of the first unstorable text inside ``value``; walked
    with a list, not recursion: a JSON body may nest deeper than Python's stack."""
    stack = [((), value, False)]
    while stack:
        path, item, in_list = stack.pop()
        if isinstance(item, str):
            if problem := text_problem(item):
                return path, problem
        elif isinstance(item, list):
            stack.extend((path, element, True) for element in reversed(item))
        elif isinstance(item, dict):
            for key, element in reversed(item.items()):  # popped in the object's order
                if isinstance(key, str) and (problem := text_problem(key)):
                    return path, problem
                stack.append((path if in_list else (*path, key), element, in_list))
    return (), None


# The largest integer both databases store (PostgreSQL bigint, SQLite INTEGER): beyond it a
# lookup or a write would fail inside the driver instead of answering 4xx.
MAX_INT = 2**63 - 1


def not_blank(value):
    """A text that must be filled needs more than spaces (the API and the imports)."""
    if isinstance(value, str) and value and not value.strip():
        raise ValidationError(BLANK_MESSAGE)
    return True


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


def _must_be_filled(field_obj) -> bool:
    return any(isinstance(v, validate.Length) and (v.min or 0) >= 1 for v in field_obj.validators)


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
        # A text that must be filled (Length min ≥ 1) is not filled by spaces alone.
        # (Field objects outlive a schema instance: add the rule once.)
        for text in (field_obj, getattr(field_obj, "inner", None)):
            filled = isinstance(text, fields.String) and _must_be_filled(text)
            if filled and not_blank not in text.validators:
                text.validators.append(not_blank)

    @pre_load
    def _refuse_unstorable_text(self, data, **kwargs):
        if isinstance(data, dict):
            bad = _problems(data)
            if bad:
                raise ValidationError(bad)
        return data


class PageArgs(BaseSchema):
    """Query arguments of every list: ?page=1&per_page=50."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10**9))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
