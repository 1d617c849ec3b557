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


class ImportJobStartedSchema(BaseSchema):
    job_id = fields.Integer(attribute="id", required=True)
    state = fields.String(required=True)


class ImportJobSchema(BaseSchema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "organizations или staff"})
    scope_id = fields.Integer(required=True)
    state = fields.String(required=True, metadata={"description": "queued, running, done, failed"})
    phase = fields.String(metadata={"description": "checking или writing, пока задание идёт"})
    rows_total = fields.Integer(allow_none=True)
    rows_done = fields.Integer(required=True, metadata={"description": "проверено строк"})
    result = fields.Method("_result", metadata={"description": "created, updated, unchanged"})
    problems = fields.Method("_problems", metadata={"description": "row, column, message"})
    error = fields.String()
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)

    def _result(self, job):
        report = job.report or {}
        return None if "problems" in report or not report else report

    def _problems(self, job):
        return (job.report or {}).get("problems", [])
