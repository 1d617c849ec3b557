"""Minimal VALID request bodies built from the OpenAPI document (for the scope matrix).

Required fields get a value of the right type, format and enum (or a known valid value where
the type alone is not enough); every field that names an object gets the id the caller
chooses, optional or not.  ``check_valid`` proves a body against the document's schema with
jsonschema_rs (schemathesis's validator), so a 422 can never come from a malformed body.
"""

import datetime as dt
import io

import jsonschema_rs
import openpyxl

YEAR = dt.date.today().year

# Valid values where the type alone is not enough: "Body/field" (in that request body),
# "Schema.field" (in that schema), or "field".
VALUES = {
    "Organization.kind": "school",
    # Codes of the vocabularies (blocks extend them at run time, so no static enum).
    "Status.status": "flagship",
    "SupportProposal.kind": "internship",
    "Grant.role": "school_coordinator",
    "Step.kind": "self_education",
    "Campaign.form_code": "mentoring_monitoring",
    "period_kind": "year",
    "period": str(YEAR),
    "opens_on": f"{YEAR}-01-10",
    "deadline": f"{YEAR}-12-20",
    "checklist_code": "mentoring_model_audit",
    "birth_year": 1990,
    "teaching_since": 2015,
    "score": 50,
    "hours": 36,
    "mentee_cap": 3,
    "load_cap": 5,
    "login": "matrix.login",
    "password": "matrix-password-1",
    "secret": "0123456789abcdef",
    "code": "matrix1",
    "name": "matrix_field",
    "ChecklistDefinition/type": "score",  # a checklist's fields are criteria
    "version": None,
}
# Optional fields a valid object needs beside the required ones ("Body/Schema").
ALSO = {
    "ChecklistDefinition/Field": {"max": 2},  # a criterion has a maximum
    "Bulk/Bulk": {"reason": "Проверка"},  # a return says why
    "Return/Return": {"reason": "Проверка"},
    "Reason/Reason": {"reason": "Проверка"},
}


def resolve(schema, spec):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _names_an_object(schema, spec, objects, depth=3) -> bool:
    """Whether a value of ``schema`` holds a field naming an object (a user's grants)."""
    schema = resolve(schema, spec)
    if depth == 0:
        return False
    if schema.get("type") == "array" and "items" in schema:
        return _names_an_object(schema["items"], spec, objects, depth - 1)
    return any(
        key in objects or _names_an_object(sub, spec, objects, depth - 1)
        for key, sub in schema.get("properties", {}).items()
    )


def build(schema, spec, objects, name="", owner="", root=""):
    """A minimal valid value for ``schema``; ``objects``: {field name: id} for the fields
    that name an object.  ``owner``: the schema holding the field; ``root``: the body's."""
    ref = schema.get("$ref", "").rsplit("/", 1)[-1]
    root = root or ref
    schema = resolve(schema, spec)
    if name in objects:
        return [objects[name]] if schema.get("type") == "array" else objects[name]
    for key in (f"{root}/{name}", f"{owner}.{name}", name):
        if key in VALUES:
            return VALUES[key]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        required = set(schema.get("required", ()))
        built = {
            key: build(sub, spec, objects, key, ref, root)
            for key, sub in schema.get("properties", {}).items()
            if not resolve(sub, spec).get("readOnly")
            and (key in required or key in objects or _names_an_object(sub, spec, objects))
        }
        return {**built, **ALSO.get(f"{root}/{ref}", {})}
    if kind == "array":
        items = schema.get("items")
        return [build(items, spec, objects, name, owner, root)] if items else []
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    formats = {"date": f"{YEAR}-03-15", "url": "https://example.org/hook"}
    return formats.get(schema.get("format"), "Проверка области видимости")


def _json_schema(schema):
    """OpenAPI 3.0 → JSON Schema: references into ``$defs``, ``nullable`` as a null option."""
    if isinstance(schema, list):
        return [_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return {"$ref": schema["$ref"].replace("#/components/schemas/", "#/$defs/")}
    converted = {
        key: {k: _json_schema(v) for k, v in value.items()}
        if key == "properties"
        else _json_schema(value)
        for key, value in schema.items()
        if key not in ("nullable", "readOnly", "writeOnly", "example", "format")
    }
    if schema.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def check_valid(body, schema, spec) -> None:
    """Raise jsonschema_rs.ValidationError when ``body`` does not match ``schema``."""
    definitions = {name: _json_schema(s) for name, s in spec["components"]["schemas"].items()}
    jsonschema_rs.validate({**_json_schema(schema), "$defs": definitions}, body)


def nowhere(body, objects):
    """``body`` with every id of ``objects``' fields replaced by one that exists nowhere."""
    if isinstance(body, dict):
        return {
            key: 2_000_000_000 if key in objects and not isinstance(value, (dict, list))
            else nowhere(value, objects) if key not in objects
            else [2_000_000_000 for _ in value]
            for key, value in body.items()
        }  # fmt: skip
    if isinstance(body, list):
        return [nowhere(item, objects) for item in body]
    return body


def keys(value):
    """Every key of a JSON value, at any depth."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield key
            yield from keys(sub)
    elif isinstance(value, list):
        for item in value:
            yield from keys(item)


def xlsx_file():
    """An upload (file, name) with a header row: what a multipart import needs."""
    book = openpyxl.Workbook()
    book.active.append(["Код", "Наименование"])
    buffer = io.BytesIO()
    book.save(buffer)
    return io.BytesIO(buffer.getvalue()), "matrix.xlsx"
