"""marshmallow schemas of the form engine's API."""

from marshmallow import ValidationError, fields, validate, validates_schema

from core import vocabulary
from core.models.organization import KINDS
from core.schemas.base import BaseSchema, PageArgs, UtcDateTime
from forms import periods
from forms.models import STATES


class FormSummarySchema(BaseSchema):
    code = fields.String()
    version = fields.Integer()
    title = fields.String()
    kind = fields.String()
    level = fields.String()
    plugin = fields.String(allow_none=True)
    scope_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class FormDetailSchema(FormSummarySchema):
    definition = fields.Dict()
    versions = fields.List(fields.Integer())


class FormListSchema(BaseSchema):
    items = fields.List(fields.Nested(FormSummarySchema))


class FormVersionQuery(BaseSchema):
    version = fields.Integer(validate=validate.Range(min=1))


class FormCreateQuery(BaseSchema):
    scope_id = fields.Integer()


class StaffAudienceSchema(BaseSchema):
    under_age = fields.Integer(validate=validate.Range(min=18, max=100))
    experience_below = fields.Integer(validate=validate.Range(min=1, max=60))


class CampaignSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    form_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    form_version = fields.Integer(load_default=None, allow_none=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    period_kind = fields.String(required=True, validate=validate.OneOf(list(periods.KINDS)))
    period = fields.String(required=True, metadata={"example": "2025-05"})
    period_label = fields.String(dump_only=True)
    period_start = fields.Date(dump_only=True)
    period_end = fields.Date(dump_only=True)
    reference_year = fields.Integer(dump_only=True)
    scope_id = fields.Integer(required=True)
    audience_kinds = fields.List(
        fields.String(validate=validate.OneOf(list(KINDS))),
        load_default=lambda: ["school", "kindergarten", "additional"],
        validate=validate.Length(min=1),
    )
    audience_statuses = fields.List(
        fields.String(validate=vocabulary.one_of("organization_statuses")), load_default=list
    )
    audience_staff = fields.Nested(
        StaffAudienceSchema,
        load_default=dict,
        metadata={"description": "Только для форм уровня работника: возраст и стаж"},
    )
    opens_on = fields.Date(required=True)
    deadline = fields.Date(required=True)
    accepts_late = fields.Boolean(load_default=False)
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    closed_at = UtcDateTime(dump_only=True, allow_none=True)
    time_zone = fields.String(dump_only=True, metadata={"description": "IANA-зона области"})
    deadline_ends_at = UtcDateTime(
        dump_only=True, metadata={"description": "Конец дня срока в зоне области (UTC)"}
    )
    level = fields.String(dump_only=True)
    plugin = fields.String(dump_only=True, allow_none=True)
    my_submissions = fields.List(fields.Dict(), dump_only=True)

    @validates_schema
    def _dates(self, data, **kwargs):
        if data.get("deadline") and data.get("opens_on") and data["deadline"] < data["opens_on"]:
            raise ValidationError("Срок сдачи раньше даты открытия.", "deadline")
        if "period_kind" in data and "period" in data:
            try:
                periods.parse(data["period_kind"], data["period"])
            except ValueError as error:
                raise ValidationError(str(error), "period") from None


class CampaignChangeSchema(BaseSchema):
    """PATCH of a campaign: any of the fields, a reason always."""

    title = fields.String(validate=validate.Length(min=1, max=500))
    description = fields.String(validate=validate.Length(max=5000))
    deadline = fields.Date()
    accepts_late = fields.Boolean()
    close = fields.Boolean(load_default=False, metadata={"description": "Закрыть сбор сейчас"})
    confirm = fields.Boolean(
        load_default=False, metadata={"description": "Подтвердить срок раньше сегодняшнего дня"}
    )
    reason = fields.String(required=True, validate=validate.Length(max=1000))


class CampaignQuery(PageArgs):
    form_code = fields.String()
    mine = fields.Boolean(load_default=False)


class SaveSchema(BaseSchema):
    data = fields.Dict(required=True)
    version = fields.Integer(load_default=None, allow_none=True)


class VersionSchema(BaseSchema):
    version = fields.Integer(load_default=None, allow_none=True)


class SubmitSchema(VersionSchema):
    confirm_warnings = fields.Boolean(load_default=False)


class ReturnSchema(BaseSchema):
    reason = fields.String(load_default="", validate=validate.Length(max=5000))
    field_comments = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.Length(max=2000)),
        load_default=dict,
    )


class ReasonSchema(BaseSchema):
    reason = fields.String(load_default="", validate=validate.Length(max=5000))


class SubmissionSchema(BaseSchema):
    id = fields.Integer()
    campaign_id = fields.Integer()
    organization_id = fields.Integer()
    staff_id = fields.Integer(allow_none=True)
    state = fields.String()
    state_title = fields.Function(lambda s: STATES[s.state])
    data = fields.Dict()
    form_version = fields.Function(lambda s: s.campaign.form.version)
    version = fields.Integer()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    first_submitted_at = UtcDateTime(allow_none=True)
    submitted_at = UtcDateTime(allow_none=True)
    late = fields.Boolean()
    accepted_at = UtcDateTime(allow_none=True)
    review_comment = fields.String()
    field_comments = fields.Dict()
    deleted_at = UtcDateTime(allow_none=True)


class SubmissionQuery(PageArgs):
    state = fields.String(validate=validate.OneOf(list(STATES)))
    scope = fields.Integer()


class EventSchema(BaseSchema):
    id = fields.Integer()
    at = UtcDateTime()
    user_id = fields.Integer(allow_none=True)
    login = fields.Function(lambda e: e.user.login if e.user_id else "")
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    changes = fields.Dict()
    comment = fields.String()


class BulkSchema(BaseSchema):
    subject_ids = fields.List(fields.Integer(), load_default=list)
    all_submitted = fields.Boolean(load_default=False)
    scope_id = fields.Integer(load_default=None, allow_none=True)
    reason = fields.String(load_default="", validate=validate.Length(max=5000))

    @validates_schema
    def _selection(self, data, **kwargs):
        if not data["subject_ids"] and not data["all_submitted"]:
            raise ValidationError("Выберите анкеты или укажите all_submitted.", "subject_ids")


class BulkResultSchema(BaseSchema):
    done = fields.List(fields.Integer())
    refused = fields.Dict(keys=fields.String(), values=fields.String())


class ProgressQuery(BaseSchema):
    scope = fields.Integer()


class ProgressSchema(BaseSchema):
    organization_id = fields.Integer()
    name = fields.String()
    total = fields.Integer()
    by_state = fields.Dict(keys=fields.String(), values=fields.Integer())
    not_started = fields.Integer()
    submitted = fields.Integer()
    on_time = fields.Integer()
    late = fields.Integer()
    share_submitted = fields.Float()
    missing = fields.List(fields.Dict())
    children = fields.List(fields.Dict())


class WebhookSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    organization_id = fields.Integer(required=True)
    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False)
    secret = fields.String(required=True, load_only=True, validate=validate.Length(min=16, max=200))
    active = fields.Boolean(load_default=True)
    created_at = UtcDateTime(dump_only=True)


class AuditCreateSchema(BaseSchema):
    checklist_code = fields.String(required=True)
    organization_id = fields.Integer(required=True)
    expert_id = fields.Integer(load_default=None, allow_none=True)


class AuditSchema(BaseSchema):
    id = fields.Integer()
    checklist_code = fields.Function(lambda a: a.checklist.code)
    checklist_version = fields.Function(lambda a: a.checklist.version)
    organization_id = fields.Integer()
    state = fields.String()
    expert_id = fields.Integer(allow_none=True)
    self_data = fields.Dict()
    expert_data = fields.Dict()
    created_at = UtcDateTime()
    self_submitted_at = UtcDateTime(allow_none=True)
    reviewed_at = UtcDateTime(allow_none=True)
    results = fields.Dict()


class AuditQuery(PageArgs):
    organization = fields.Integer()
    state = fields.String()


class ScoresSchema(BaseSchema):
    data = fields.Dict(required=True)


class ExpertAssignSchema(BaseSchema):
    expert_id = fields.Integer(required=True)
