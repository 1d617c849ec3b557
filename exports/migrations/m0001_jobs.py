"""Export jobs.  Frozen DDL (see core.migrations.m0001_initial)."""

from core.migrator import execute_ddl

TABLES = [
    """CREATE TABLE "export_job" ("id" {pk}, "code" VARCHAR(64) NOT NULL,
    "scope_id" INTEGER NOT NULL, "period" VARCHAR(16) NOT NULL, "campaign_id" INTEGER,
    "user_id" INTEGER, "state" VARCHAR(16) NOT NULL, "rows_done" INTEGER NOT NULL,
    "rows_total" INTEGER, "error" TEXT NOT NULL, "file_path" VARCHAR(500) NOT NULL,
    "created_at" {ts} NOT NULL, "started_at" {ts}, "finished_at" {ts},
    FOREIGN KEY ("scope_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "export_job_user_id" ON "export_job" ("user_id")',
]


def up(db):
    execute_ddl(db, TABLES)
