"""The block's own tables: the current register of pairs, mentor-school links, settings."""

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core.models import BaseModel, Organization, StaffMember, User, utcnow


class MentorPair(BaseModel):
    """A pair as the last accepted register of its organisation states it."""

    organization = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    mentor = ForeignKeyField(StaffMember, on_delete="CASCADE", backref="+")
    mentee = ForeignKeyField(StaffMember, on_delete="CASCADE", backref="+")
    form = CharField(max_length=64)
    subject = CharField(max_length=200, default="")
    start = DateField()
    end = DateField(null=True)
    goal = TextField(default="")
    status = CharField(max_length=32)
    submission_id = IntegerField(null=True)

    class Meta:
        table_name = "mentoring_pair"


class MentorSchoolLink(BaseModel):
    """A mentor school supporting a school with low results (seed 003, 2.3.1)."""

    mentor_school = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    supported_school = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    start = DateField()
    end = DateField(null=True)
    goal = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "mentoring_school_link"
