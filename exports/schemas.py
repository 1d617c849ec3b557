"""marshmallow schemas of the exports and indicators API."""

from marshmallow import fields, validate

from core.schemas.base import BaseSchema, UtcDateTime
from exports.models import JOB_STATES


class ExportQuery(BaseSchema):
    scope = fields.Integer(required=True)
    period = fields.String(validate=validate.Length(max=16))
    campaign = fields.Integer()


class ExportListQuery(BaseSchema):
    scope = fields.Integer(required=True)


class ExportInfoSchema(BaseSchema):
    code = fields.String()
    title = fields.String()
    levels = fields.List(fields.String())
    needs = fields.List(fields.String())
    plugin = fields.String(allow_none=True)


class ExportListSchema(BaseSchema):
    items = fields.List(fields.Nested(ExportInfoSchema))


class JobSchema(BaseSchema):
    id = fields.Integer()
    code = fields.String()
    scope_id = fields.Integer()
    period = fields.String()
    campaign_id = fields.Integer(allow_none=True)
    state = fields.String(validate=validate.OneOf(list(JOB_STATES)))
    state_title = fields.Function(lambda j: JOB_STATES[j.state])
    rows_done = fields.Integer()
    rows_total = fields.Integer(allow_none=True)
    error = fields.String()
    created_at = UtcDateTime()
    started_at = UtcDateTime(allow_none=True)
    finished_at = UtcDateTime(allow_none=True)


class IndicatorQuery(BaseSchema):
    scope = fields.Integer(required=True)
    period = fields.String(load_default=None, validate=validate.Length(max=16))
    breakdown = fields.String(
        load_default="children",
        validate=validate.OneOf(["children", "municipalities"]),
        metadata={
            "description": "Rows after the scope's: its direct units (children) or every "
            "municipality under it (municipalities)."
        },
    )


class IndicatorInfoSchema(BaseSchema):
    code = fields.String()
    title = fields.String()
    unit = fields.String()
    direction = fields.String()
    description = fields.String()
    plugin = fields.String(allow_none=True)
    target = fields.Float(
        allow_none=True, metadata={"description": "The target for the period's first year."}
    )
    target_source = fields.String(
        metadata={"description": "declared (the declaration's default) or region"}
    )


class IndicatorValueSchema(BaseSchema):
    code = fields.String()
    value = fields.Float(allow_none=True)
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    target_source = fields.String(metadata={"description": "declared or region"})
    status = fields.String()


class IndicatorRowSchema(BaseSchema):
    organization_id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    values = fields.List(fields.Nested(IndicatorValueSchema))


class IndicatorReportSchema(BaseSchema):
    period = fields.String()
    period_label = fields.String()
    indicators = fields.List(fields.Nested(IndicatorInfoSchema))
    rows = fields.List(fields.Nested(IndicatorRowSchema))
