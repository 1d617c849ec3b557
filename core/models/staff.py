"""Pedagogical workers: the roster most indicators are shares of."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from core.models.base import BaseModel, JSONField, utcnow
from core.models.organization import Organization

CATEGORIES = {
    "none": "Без категории",
    "conformity": "Соответствие занимаемой должности",
    "first": "Первая",
    "highest": "Высшая",
    "methodist": "Педагог-методист",
    "mentor": "Педагог-наставник",
}


class StaffMember(BaseModel):
    organization = ForeignKeyField(Organization, backref="staff", on_delete="RESTRICT")
    # Personnel number or the code a regional procedure uses; optional.
    code = CharField(max_length=64, null=True)
    full_name = CharField(max_length=300)
    position = CharField(max_length=200)
    subjects = JSONField(default=list)
    birth_year = IntegerField()
    teaching_since = IntegerField(null=True)
    category = CharField(max_length=20, default="none")
    is_management = BooleanField(default=False)
    associations = JSONField(default=list)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("organization", "code"), True),)

    def age_in(self, year: int) -> int:
        """Age reached during ``year`` (the period's year, never today's)."""
        return year - self.birth_year

    def experience_in(self, year: int) -> int | None:
        """Completed teaching years by ``year``; 0 means the first year."""
        return None if self.teaching_since is None else year - self.teaching_since
