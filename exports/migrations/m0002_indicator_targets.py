"""Targets of indicators per region and year.  Frozen DDL (see core.migrations.m0001_initial).

"DOUBLE PRECISION" is a real column on both backends (SQLite reads it as REAL)."""

from core.migrator import execute_ddl

TABLES = [
    """CREATE TABLE "indicator_target" ("id" {pk}, "region_id" INTEGER NOT NULL,
    "indicator" VARCHAR(64) NOT NULL, "year" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL, "changed_by_id" INTEGER, "changed_at" {ts} NOT NULL,
    FOREIGN KEY ("region_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("changed_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)""",
    'CREATE UNIQUE INDEX "indicator_target_region_id_indicator_year" '
    'ON "indicator_target" ("region_id", "indicator", "year")',
    'CREATE INDEX "indicator_target_changed_by_id" ON "indicator_target" ("changed_by_id")',
]


def up(db):
    execute_ddl(db, TABLES)
