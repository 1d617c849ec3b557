"""The time zone of a region (or of a hub or municipality in another zone than its
region): an IANA name; NULL means the parent's (core.clock).  Frozen DDL."""

TABLES = [
    'ALTER TABLE "organization" ADD COLUMN "time_zone" VARCHAR(64)',
]


def up(db):
    from core.migrator import execute_ddl

    execute_ddl(db, TABLES)
