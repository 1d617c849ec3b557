"""The block's tables: deficit catalogue, course catalogue, region settings, results,
individual educational routes (ИОМ) and their steps, the methodical active."""

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from core.models import BaseModel, Organization, StaffMember, User, utcnow
from core.models.base import JSONField


class Deficit(BaseModel):
    """A deficit topic in a region's catalogue; archived topics stay on old results."""

    region = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    area = CharField(max_length=20)
    title = CharField(max_length=300)
    active = BooleanField(default=True)

    class Meta:
        table_name = "diagnostics_deficit"


class Course(BaseModel):
    """A further-education programme the region offers (in the federal register ФР ДПП or not)."""

    region = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    title = CharField(max_length=500)
    provider = CharField(max_length=300)
    hours = IntegerField()
    federal_register = BooleanField(default=False)
    deficits = JSONField(default=list)  # ids of the deficit topics it covers
    active = BooleanField(default=True)

    class Meta:
        table_name = "diagnostics_course"


class Result(BaseModel):
    """One staff member's result in one competence area of one procedure."""

    staff = ForeignKeyField(StaffMember, on_delete="CASCADE", backref="+")
    procedure = CharField(max_length=16)
    date = DateField()
    area = CharField(max_length=20)
    score = DecimalField(max_digits=5, decimal_places=1, auto_round=True)
    level = CharField(max_length=16)
    deficits = JSONField(default=list)
    source = CharField(max_length=16)  # "api", "form", "import"
    expert = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "diagnostics_result"
        indexes = ((("staff", "procedure", "date", "area"), True),)


class Route(BaseModel):
    """An individual educational route (ИОМ) built from a staff member's deficits."""

    staff = ForeignKeyField(StaffMember, on_delete="CASCADE", backref="+")
    status = CharField(max_length=16, default="active")
    deficits = JSONField(default=list)
    tutor = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    note = TextField(default="")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    completed_at = DateTimeField(null=True)

    class Meta:
        table_name = "diagnostics_route"


class Step(BaseModel):
    route = ForeignKeyField(Route, on_delete="CASCADE", backref="steps")
    kind = CharField(max_length=20)
    title = CharField(max_length=500)
    course = ForeignKeyField(Course, null=True, on_delete="RESTRICT", backref="+")
    supporter = ForeignKeyField(StaffMember, null=True, on_delete="SET NULL", backref="+")
    deficits = JSONField(default=list)
    planned_start = DateField(null=True)
    planned_end = DateField(null=True)
    status = CharField(max_length=16, default="planned")
    evidence = TextField(default="")
    completed_on = DateField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "diagnostics_step"


class ActiveMember(BaseModel):
    """A staff member proposed for (or in) the methodical active in one area."""

    staff = ForeignKeyField(StaffMember, on_delete="CASCADE", backref="+")
    area = CharField(max_length=20)
    status = CharField(max_length=16, default="proposed")
    result = ForeignKeyField(Result, null=True, on_delete="SET NULL", backref="+")
    proposed_at = DateTimeField(default=utcnow)
    decided_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    decided_at = DateTimeField(null=True)
    reason = TextField(default="")

    class Meta:
        table_name = "diagnostics_active"
        indexes = ((("staff", "area"), True),)
