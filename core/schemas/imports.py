"""Spreadsheet imports."""

from marshmallow import fields, validate

from core.schemas.base import BaseSchema


class ImportFormSchema(BaseSchema):
    scope_id = fields.Integer(
        required=True,
        metadata={"description": "Организация, под которой ищутся коды (регион, муниципалитет)"},
    )


class ImportFileSchema(BaseSchema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class ImportResultSchema(BaseSchema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)


class TemplateKindSchema(BaseSchema):
    kind = fields.String(required=True, validate=validate.OneOf(["organizations", "staff"]))
