"""Request and response schemas of the block's API."""

from marshmallow import ValidationError, fields, validate, validates_schema

from core.schemas.base import BaseSchema, PageArgs
from plugins.diagnostics.catalogue import (
    ACTIVE_STATUSES,
    AREAS,
    LEVELS,
    PROCEDURES,
    ROUTE_STATUSES,
    STEP_KINDS,
    STEP_STATUSES,
)

Ids = fields.List(fields.Integer(validate=validate.Range(min=1)), validate=validate.Length(max=50))


class DeficitSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    area = fields.String(required=True, validate=validate.OneOf(list(AREAS)))
    area_title = fields.Function(lambda d: AREAS[d.area], dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    active = fields.Boolean(load_default=True)


class DeficitPatchSchema(BaseSchema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    active = fields.Boolean()


class CourseSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    provider = fields.String(required=True, validate=validate.Length(min=1, max=300))
    hours = fields.Integer(required=True, validate=validate.Range(min=1, max=2000))
    federal_register = fields.Boolean(load_default=False)
    deficits = Ids
    active = fields.Boolean(load_default=True)


class CoursePatchSchema(BaseSchema):
    title = fields.String(validate=validate.Length(min=1, max=500))
    provider = fields.String(validate=validate.Length(min=1, max=300))
    hours = fields.Integer(validate=validate.Range(min=1, max=2000))
    federal_register = fields.Boolean()
    deficits = Ids
    active = fields.Boolean()


class ResultSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    staff_id = fields.Integer(dump_only=True)
    procedure = fields.String(required=True, validate=validate.OneOf(list(PROCEDURES)))
    date = fields.Date(required=True)
    area = fields.String(required=True, validate=validate.OneOf(list(AREAS)))
    score = fields.Float(
        required=True,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "Процент от максимального балла процедуры"},
    )
    level = fields.String(dump_only=True, metadata={"enum": list(LEVELS)})
    level_title = fields.Function(lambda r: LEVELS[r.level], dump_only=True)
    deficits = Ids
    deficit_titles = fields.List(fields.String(), dump_only=True)
    source = fields.String(dump_only=True)
    expert_id = fields.Integer(dump_only=True, allow_none=True)


class ResultsPageSchema(BaseSchema):
    staff_id = fields.Integer()
    full_name = fields.String()
    results = fields.List(fields.Nested(ResultSchema))


class ExpertSchema(BaseSchema):
    user_id = fields.Integer(required=True, allow_none=True)


class StepSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(list(STEP_KINDS)))
    title = fields.String(load_default="", validate=validate.Length(max=500))
    course_id = fields.Integer(load_default=None, allow_none=True)
    supporter_id = fields.Integer(load_default=None, allow_none=True)
    supporter = fields.Function(lambda s: s.supporter.full_name if s.supporter else None)
    deficits = Ids
    planned_start = fields.Date(load_default=None, allow_none=True)
    planned_end = fields.Date(load_default=None, allow_none=True)
    status = fields.String(load_default="planned", validate=validate.OneOf(list(STEP_STATUSES)))
    evidence = fields.String(load_default="", validate=validate.Length(max=4000))
    completed_on = fields.Date(load_default=None, allow_none=True)


class StepPatchSchema(BaseSchema):
    title = fields.String(validate=validate.Length(min=1, max=500))
    planned_start = fields.Date(allow_none=True)
    planned_end = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(list(STEP_STATUSES)))
    evidence = fields.String(validate=validate.Length(max=4000))
    completed_on = fields.Date(allow_none=True)


class RouteProgressSchema(BaseSchema):
    steps = fields.Integer()
    done = fields.Integer()
    percent = fields.Float()


class RediagnosticSchema(BaseSchema):
    area = fields.String()
    before = fields.Nested(ResultSchema, allow_none=True)
    after = fields.Nested(ResultSchema, allow_none=True)
    improved = fields.Boolean(allow_none=True)
    due = fields.Boolean()


class RouteSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    staff_id = fields.Integer(dump_only=True)
    full_name = fields.Function(lambda r: r.staff.full_name, dump_only=True)
    organization = fields.Function(lambda r: r.staff.organization.name, dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": list(ROUTE_STATUSES)})
    deficits = Ids
    deficit_titles = fields.List(fields.String(), dump_only=True)
    tutor_user_id = fields.Integer(
        load_default=None, allow_none=True, attribute="tutor_id", data_key="tutor_user_id"
    )
    note = fields.String(load_default="", validate=validate.Length(max=4000))
    created_at = fields.DateTime(dump_only=True)
    completed_at = fields.DateTime(dump_only=True, allow_none=True)
    progress = fields.Nested(RouteProgressSchema, dump_only=True)
    steps = fields.List(fields.Nested(StepSchema), dump_only=True)
    rediagnostics = fields.List(fields.Nested(RediagnosticSchema), dump_only=True)


class RoutePatchSchema(BaseSchema):
    status = fields.String(validate=validate.OneOf(["cancelled"]))
    note = fields.String(validate=validate.Length(max=4000))
    tutor_user_id = fields.Integer(allow_none=True)


class RouteListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(list(ROUTE_STATUSES)))


class ActiveSchema(BaseSchema):
    id = fields.Integer()
    staff_id = fields.Integer()
    full_name = fields.Function(lambda m: m.staff.full_name)
    organization = fields.Function(lambda m: m.staff.organization.name)
    area = fields.String()
    status = fields.String(metadata={"enum": list(ACTIVE_STATUSES)})
    score = fields.Function(lambda m: float(m.result.score) if m.result else None)
    load = fields.Integer()
    load_cap = fields.Integer()
    reason = fields.String()


class ActiveListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(list(ACTIVE_STATUSES)))


class DecisionSchema(BaseSchema):
    decision = fields.String(
        required=True, validate=validate.OneOf(["confirm", "decline", "withdraw"])
    )
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class MentorCandidateSchema(BaseSchema):
    rank = fields.Integer()
    staff_id = fields.Integer()
    full_name = fields.String()
    organization = fields.String()
    areas = fields.List(fields.String())
    nearness = fields.String()
    load = fields.Integer()
    load_cap = fields.Integer()
    reasons = fields.List(fields.String())


class CourseCandidateSchema(BaseSchema):
    rank = fields.Integer()
    course_id = fields.Integer()
    title = fields.String()
    provider = fields.String()
    hours = fields.Integer()
    federal_register = fields.Boolean()
    covers = fields.List(fields.Integer())
    reasons = fields.List(fields.String())


class SupportSchema(BaseSchema):
    staff_id = fields.Integer()
    deficits = fields.List(fields.Nested(DeficitSchema))
    mentors = fields.List(fields.Nested(MentorCandidateSchema))
    at_cap = fields.List(fields.Nested(MentorCandidateSchema))
    courses = fields.List(fields.Nested(CourseCandidateSchema))


class AcceptSchema(BaseSchema):
    kind = fields.String(required=True, validate=validate.OneOf(["mentor", "course"]))
    staff_id = fields.Integer(load_default=None, allow_none=True)
    course_id = fields.Integer(load_default=None, allow_none=True)
    planned_start = fields.Date(load_default=None, allow_none=True)
    planned_end = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _target(self, data, **kwargs):
        needed = "staff_id" if data["kind"] == "mentor" else "course_id"
        if not data.get(needed):
            raise ValidationError("Обязательное поле.", needed)
