"""Per-level activation of programme blocks (plugins)."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from core.models.base import BaseModel, utcnow
from core.models.organization import Organization
from core.models.user import User


class PluginActivation(BaseModel):
    organization = ForeignKeyField(Organization, backref="plugin_activations", on_delete="CASCADE")
    plugin = CharField(max_length=64)
    enabled = BooleanField()
    changed_at = DateTimeField(default=utcnow)
    changed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = ((("organization", "plugin"), True),)
