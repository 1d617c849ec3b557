"""Campaigns for staff-level forms may narrow their audience by age and experience
(e.g. the young teacher's plan: only teachers in their first three years).
Existing campaigns get an empty filter: every active staff member, as before."""

from peewee import TextField
from playhouse.migrate import migrate

from core.migrator import schema_migrator


def up(db):
    migrate(schema_migrator(db).add_column("campaign", "audience_staff", TextField(default="{}")))
