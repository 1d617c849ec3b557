"""Scheduled campaigns: one row per (form, municipality, period) opened by the schedule
job — the unique key that keeps a restart, two workers or a re-run from opening a period
twice — and the per-scope changes of a form's schedule (dates, on/off).  Frozen DDL."""

from core.migrator import execute_ddl

TABLES = [
    """CREATE TABLE "schedule_opening" ("id" {pk}, "form_code" VARCHAR(64) NOT NULL,
    "scope_id" INTEGER NOT NULL, "period" VARCHAR(16) NOT NULL, "campaign_id" INTEGER NOT NULL,
    "opened_at" {ts} NOT NULL,
    FOREIGN KEY ("scope_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("campaign_id") REFERENCES "campaign" ("id") ON DELETE CASCADE)""",
    'CREATE UNIQUE INDEX "schedule_opening_form_code_scope_id_period" '
    'ON "schedule_opening" ("form_code", "scope_id", "period")',
    'CREATE INDEX "schedule_opening_campaign_id" ON "schedule_opening" ("campaign_id")',
    """CREATE TABLE "schedule_override" ("id" {pk}, "form_code" VARCHAR(64) NOT NULL,
    "scope_id" INTEGER NOT NULL, "enabled" {bool} NOT NULL, "opens" VARCHAR(5),
    "opens_day" INTEGER, "deadline" VARCHAR(5), "deadline_days" INTEGER,
    "changed_at" {ts} NOT NULL, "changed_by_id" INTEGER,
    FOREIGN KEY ("scope_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("changed_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)""",
    'CREATE UNIQUE INDEX "schedule_override_form_code_scope_id" '
    'ON "schedule_override" ("form_code", "scope_id")',
]


def up(db):
    execute_ddl(db, TABLES)
