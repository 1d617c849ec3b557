"""Organisations and their statuses."""

from marshmallow import ValidationError, fields, validate, validates_schema

from core import clock, vocabulary
from core.models.organization import KINDS
from core.schemas.base import BaseSchema, PageArgs

STATUSES = "organization_statuses"  # the vocabulary kind


def _zone_name(value):
    if not clock.valid_zone(value):
        raise ValidationError("Неизвестный часовой пояс: укажите имя IANA, например Asia/Tomsk.")


CODE = validate.Regexp(r"^[\w.\-]{1,64}$", error="Код: буквы, цифры, точка, дефис; до 64 символов.")


class StatusSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    status = fields.String(required=True, validate=vocabulary.one_of(STATUSES))
    title = fields.Function(lambda s: vocabulary.label(STATUSES, s.status), dump_only=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))

    @validates_schema
    def _period(self, data, **kwargs):
        end, start = data.get("end_date"), data.get("start_date")
        if end and start and end < start:
            raise ValidationError("Дата окончания раньше даты начала.", "end_date")


class OrganizationSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    parent_id = fields.Integer(allow_none=True, load_default=None)
    kind = fields.String(required=True, validate=validate.OneOf(list(KINDS)))
    kind_title = fields.Function(lambda o: KINDS.get(o.kind, o.kind), dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=500))
    short_name = fields.String(load_default="", validate=validate.Length(max=200))
    code = fields.String(required=True, validate=CODE)
    active = fields.Boolean(load_default=True)
    path = fields.String(dump_only=True)
    statuses = fields.Method("current_statuses", dump_only=True)
    # Its own zone; a region without one is on Moscow time, others follow their parent.
    time_zone = fields.Function(
        lambda o: o.time_zone or (clock.DEFAULT_ZONE if o.parent_id is None else None),
        dump_only=True,
    )

    def current_statuses(self, org):
        return [s.status for s in getattr(org, "prefetched_statuses", [])]


class OrganizationUpdateSchema(BaseSchema):
    parent_id = fields.Integer()
    name = fields.String(validate=validate.Length(min=1, max=500))
    short_name = fields.String(validate=validate.Length(max=200))
    code = fields.String(validate=CODE)
    active = fields.Boolean()
    time_zone = fields.String(
        allow_none=True,
        validate=_zone_name,
        metadata={"description": "IANA zone of a region, hub or municipality; null: parent's."},
    )


class OrganizationQuerySchema(PageArgs):
    parent = fields.Integer()
    kind = fields.String(validate=validate.OneOf(list(KINDS)))
    status = fields.String(validate=vocabulary.one_of(STATUSES))
    active = fields.Boolean()
    q = fields.String(validate=validate.Length(max=200))
