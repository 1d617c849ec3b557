"""Campaign changes: a description, the moment a campaign was closed early, and on each
submission the deadline in force when it was first submitted (so a later extension never
rewrites an earlier late flag).  Frozen DDL."""

from core.migrator import execute_ddl

TABLES = [
    """ALTER TABLE "campaign" ADD COLUMN "description" TEXT NOT NULL DEFAULT ''""",
    'ALTER TABLE "campaign" ADD COLUMN "closed_at" {ts}',
    'ALTER TABLE "submission" ADD COLUMN "deadline_in_force" DATE',
]


def up(db):
    execute_ddl(db, TABLES)
