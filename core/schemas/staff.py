"""Staff members (pedagogical workers)."""

from marshmallow import ValidationError, fields, validate, validates_schema

from core import clock, vocabulary
from core.models.staff import CATEGORIES
from core.schemas.base import BaseSchema, PageArgs

NAME_LIST = fields.List(fields.String(validate=validate.Length(min=1, max=200)))


def _year(**kwargs):
    return fields.Integer(validate=validate.Range(min=1900, max=2100), **kwargs)


class StaffSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    organization_id = fields.Integer(dump_only=True)
    code = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=64))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    position = fields.String(required=True, validate=validate.Length(min=1, max=200))
    subjects = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        load_default=list,
        validate=validate.Length(max=30),
    )
    birth_year = _year(required=True)
    teaching_since = _year(allow_none=True, load_default=None)
    category = fields.String(load_default="none", validate=validate.OneOf(list(CATEGORIES)))
    is_management = fields.Boolean(load_default=False)
    associations = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        load_default=list,
        validate=validate.Length(max=30),
    )
    active = fields.Boolean(load_default=True)
    # Derived for the period asked with ?as_of=YEAR, never from today's date.
    age = fields.Integer(dump_only=True)
    experience = fields.Integer(dump_only=True)

    @validates_schema
    def _years(self, data, partial=False, **kwargs):
        born, since = data.get("birth_year"), data.get("teaching_since")
        if born and since and since < born + 14:
            raise ValidationError(
                "Год начала педагогической деятельности не может быть раньше 14 лет.",
                "teaching_since",
            )
        if since and since > clock.now().year + 1:
            raise ValidationError("Год начала ещё не наступил.", "teaching_since")


class StaffQuerySchema(PageArgs):
    active = fields.Boolean()
    q = fields.String(validate=validate.Length(max=200))
    subtree = fields.Boolean(load_default=False)
    as_of = _year()
    under_age = fields.Integer(validate=validate.Range(min=1, max=100))
    experience_below = fields.Integer(validate=validate.Range(min=1, max=80))

    @validates_schema
    def _needs_year(self, data, **kwargs):
        for key in ("under_age", "experience_below"):
            if key in data and "as_of" not in data:
                raise ValidationError("Укажите год периода as_of для этого фильтра.", key)


class StaffPatchSchema(StaffSchema):
    """PATCH body: every field optional, the merged record is validated again."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class SupportProposalSchema(BaseSchema):
    """An accepted proposal: who supports whom, in what way, why."""

    supporter_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=vocabulary.one_of("support_kinds"))
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class ErasureSchema(BaseSchema):
    """The request to erase a person's data (its basis is kept in the audit log)."""

    reason = fields.String(load_default="", validate=validate.Length(max=500))


class ErasureEntrySchema(BaseSchema):
    id = fields.Integer(required=True)
    at = fields.String(required=True)
    user_id = fields.Integer(allow_none=True)
    login = fields.String(required=True)
    action = fields.String(required=True)
    object_type = fields.String(required=True)
    object_id = fields.Integer(allow_none=True)
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class ErasureResultSchema(BaseSchema):
    staff_id = fields.Integer(required=True)
    erased_fields = fields.List(fields.String(), required=True)
    kept_fields = fields.List(fields.String(), required=True)
    deactivated_users = fields.List(fields.Integer(), required=True)
    cleared_by_blocks = fields.List(fields.String(), required=True)
    audit_extract = fields.List(fields.Nested(ErasureEntrySchema), required=True)
