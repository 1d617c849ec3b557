"""Users, role grants and tokens."""

from marshmallow import ValidationError, fields, validate

from core import access
from core.schemas.base import BaseSchema, OptionalEmail, PageArgs, UtcDateTime

LOGIN = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._@\-]{1,99}$",
    error="Логин: латинские буквы, цифры, точка, дефис, @; от 2 до 100 символов.",
)


def known_role(code):
    """A role declared by the core or a block (read from the registry at request time)."""
    if not access.is_role(code):
        raise ValidationError("Неизвестная роль.")


class GrantSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    role = fields.String(required=True, validate=known_role)
    role_title = fields.Function(lambda g: access.role_title(g.role), dump_only=True)
    scope_id = fields.Integer(required=True, allow_none=True)
    staff_id = fields.Integer(load_default=None, allow_none=True)


class UserSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    login = fields.String(required=True, validate=LOGIN)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    email = OptionalEmail(load_default="")
    active = fields.Boolean(load_default=True)
    grants = fields.List(fields.Nested(GrantSchema), load_default=list)
    created_at = UtcDateTime(dump_only=True)


class UserUpdateSchema(BaseSchema):
    full_name = fields.String(validate=validate.Length(min=1, max=300))
    email = OptionalEmail()
    active = fields.Boolean()
    password = fields.String(load_only=True, validate=validate.Length(max=200))
    current_password = fields.String(
        load_only=True,
        validate=validate.Length(max=200),
        metadata={"description": "Текущий пароль: нужен, когда меняют свой пароль."},
    )


class UserQuerySchema(PageArgs):
    role = fields.String(validate=known_role)
    scope = fields.Integer()
    q = fields.String(validate=validate.Length(max=200))


class TokenRequestSchema(BaseSchema):
    login = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenSchema(BaseSchema):
    token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_at = UtcDateTime(required=True)


class MeSchema(BaseSchema):
    user = fields.Nested(UserSchema, required=True)
