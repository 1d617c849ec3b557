"""Compile a form definition into a marshmallow schema (the JSON path).

Compiled schemas are kept per definition object (stored definitions are parsed once
and shared read-only, forms.models.DefinitionField): building one costs more than
loading an answer with it (a class per form, every field deep-copied per instance).
The reference checker of the call in progress reaches the whole-form rules through
a context variable, so one schema instance serves every organisation and thread.
"""

import contextvars
import threading
from collections import OrderedDict

from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema

from forms import messages as msg
from forms.definition import iter_fields
from forms.rules import validate
from forms.values import Invalid, from_json


class FormValue(fields.Field):
    """One declared field: coerced by forms.values, checked by forms.rules."""

    def __init__(self, spec, **kwargs):
        super().__init__(allow_none=True, load_default=None, **kwargs)
        self.spec = spec

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return from_json(self.spec, value)
        except Invalid as error:
            raise ValidationError(error.messages) from None


class Rows(fields.Field):
    """A table: a list of row objects, each coerced column by column."""

    def __init__(self, spec, **kwargs):
        super().__init__(allow_none=True, load_default=None, **kwargs)
        self.spec = spec
        self.row_schema = _schema_class(
            f"{spec['name']}Row", {c["name"]: FormValue(c) for c in spec["columns"]}
        )

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError(msg.NOT_LIST)
        rows, errors = [], {}
        for index, row in enumerate(value):
            if not isinstance(row, dict):
                errors[index] = [msg.NOT_ROW]
                continue
            try:
                loaded = self.row_schema().load(row)
                rows.append({k: v for k, v in loaded.items() if v is not None})
            except ValidationError as error:
                errors[index] = error.messages
        if errors:
            raise ValidationError(errors)
        return rows


def _schema_class(name, declared):
    class Meta:
        unknown = RAISE

    return type(name, (Schema,), {"Meta": Meta, **declared})


_CURRENT_REFS = object()  # build_schema(refs=...): use the refs of the load() in progress
_refs = contextvars.ContextVar("form_refs", default=None)


def build_schema(definition, *, full: bool, refs=None):
    """A marshmallow schema instance for submitting (``full``) or saving a draft."""
    declared = {}
    for field in iter_fields(definition):
        declared[field["name"]] = Rows(field) if field["type"] == "table" else FormValue(field)

    @validates_schema(skip_on_field_errors=True)
    def _whole(self, data, **kwargs):
        checker = _refs.get() if refs is _CURRENT_REFS else refs
        problems = validate(definition, data, full=full, refs=checker)
        if problems:
            raise ValidationError(problems)

    declared["_whole"] = _whole
    schema = _schema_class(f"Form_{definition['code']}", declared)()
    return schema


_COMPILED: OrderedDict = OrderedDict()  # (id(definition), full) -> (definition, schema)
_COMPILED_MAX = 128
_lock = threading.Lock()


def _compiled(definition: dict, full: bool):
    """The schema for this very definition object (an entry keeps its object alive,
    so its id cannot be reused while cached)."""
    if not getattr(definition, "shared", False):  # a dict being edited: build afresh
        return build_schema(definition, full=full, refs=_CURRENT_REFS)
    key = (id(definition), full)
    with _lock:
        entry = _COMPILED.get(key)
        if entry is not None and entry[0] is definition:
            _COMPILED.move_to_end(key)
            return entry[1]
    schema = build_schema(definition, full=full, refs=_CURRENT_REFS)
    with _lock:
        _COMPILED[key] = (definition, schema)
        while len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.popitem(last=False)
    return schema


def load(definition, payload, *, full: bool, refs=None) -> dict:
    """Coerce and check ``payload``; returns the values to store (None-valued keys dropped)."""
    if not isinstance(payload, dict):
        raise ValidationError({"_schema": ["Ожидался объект с полями формы."]})
    schema = _compiled(definition, full)
    token = _refs.set(refs)
    try:
        data = schema.load(payload)
    finally:
        _refs.reset(token)
    return {key: value for key, value in data.items() if value is not None}
