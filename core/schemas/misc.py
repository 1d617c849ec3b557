"""Health, plugins and the audit log."""

from marshmallow import fields, validate

from core.schemas.base import BaseSchema, PageArgs, UtcDateTime


class HealthSchema(BaseSchema):
    status = fields.String(required=True)
    database = fields.String(required=True)
    version = fields.String(required=True)


class PluginSchema(BaseSchema):
    name = fields.String(required=True)
    title = fields.String(required=True)
    version = fields.String(required=True)
    description = fields.String()
    enabled = fields.Boolean(allow_none=True)
    setting_at = fields.Integer(allow_none=True)


class PluginListSchema(BaseSchema):
    items = fields.List(fields.Nested(PluginSchema), required=True)


class PluginQuerySchema(BaseSchema):
    organization = fields.Integer()


class ActivationSchema(BaseSchema):
    organization_id = fields.Integer(required=True)
    plugin = fields.String(required=True)
    enabled = fields.Boolean(required=True)


class AuditEntrySchema(BaseSchema):
    id = fields.Integer()
    at = UtcDateTime()
    user_id = fields.Integer(allow_none=True)
    login = fields.String()
    action = fields.String()
    object_type = fields.String()
    object_id = fields.Integer(allow_none=True)
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)
    remote_addr = fields.String()


class AuditQuerySchema(PageArgs):
    action = fields.String(validate=validate.Length(max=40))
    object_type = fields.String(validate=validate.Length(max=60))
    object_id = fields.Integer()
    user = fields.Integer()
    # Everything about one staff record's personal data: reads, changes, exports, erasure.
    staff = fields.Integer()
    since = UtcDateTime()
    until = UtcDateTime()
