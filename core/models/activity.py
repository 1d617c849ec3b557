"""A person's professional activities: what the growth profile, the «Портфолио педагога»
export and the coverage indicator read.  Blocks write them through ``core.activities``."""

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    TextField,
)

from core.models.base import BaseModel, utcnow
from core.models.staff import StaffMember


class Activity(BaseModel):
    staff = ForeignKeyField(StaffMember, on_delete="CASCADE", backref="+")
    block = CharField(max_length=64)  # the plugin that wrote it
    kind = CharField(max_length=40)  # a code of the "activity_kinds" vocabulary
    role = CharField(max_length=20)
    level = CharField(max_length=20)
    title = CharField(max_length=500)
    result = CharField(max_length=200, default="")  # a code (winner...) or free text
    date = DateField()
    end_date = DateField(null=True)
    hours = DecimalField(max_digits=6, decimal_places=1, null=True, auto_round=True)
    evidence = TextField(default="")
    # Where it comes from in the block: one record per person and source, updated in place.
    source_type = CharField(max_length=40)
    source_id = CharField(max_length=100)
    cancelled = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "activity"
        indexes = ((("block", "source_type", "source_id", "staff"), True),)
