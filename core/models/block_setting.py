"""A programme block's settings for one region (``register_settings``)."""

from peewee import CharField, DateTimeField, ForeignKeyField

from core.models.base import BaseModel, JSONField, utcnow
from core.models.organization import Organization
from core.models.user import User


class BlockSetting(BaseModel):
    """Only what the region changed: the block's defaults fill in the rest when read."""

    region = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    plugin = CharField(max_length=64)
    values = JSONField(default=dict)
    changed_at = DateTimeField(default=utcnow)
    changed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "block_setting"
        indexes = ((("region", "plugin"), True),)
