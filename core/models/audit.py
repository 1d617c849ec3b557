"""The append-only audit log (the database refuses UPDATE and DELETE on it)."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from core.models.base import BaseModel, JSONField, utcnow
from core.models.user import User


class AuditEntry(BaseModel):
    at = DateTimeField(default=utcnow, index=True)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    login = CharField(max_length=100, default="")
    action = CharField(max_length=40, index=True)
    object_type = CharField(max_length=60, default="")
    object_id = IntegerField(null=True)
    # Path of the organisation the object belongs to: the scope filter.
    scope_path = CharField(max_length=255, default="/", index=True)
    before = JSONField(null=True)
    after = JSONField(null=True)
    remote_addr = CharField(max_length=64, default="")
