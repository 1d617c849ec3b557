"""Catalogues, settings, results, routes and steps, the methodical active (frozen DDL)."""

from core.migrator import execute_ddl

TABLES = [
    """CREATE TABLE "diagnostics_deficit" ("id" {pk}, "region_id" INTEGER NOT NULL,
    "area" VARCHAR(20) NOT NULL, "title" VARCHAR(300) NOT NULL, "active" {bool} NOT NULL,
    FOREIGN KEY ("region_id") REFERENCES "organization" ("id") ON DELETE CASCADE)""",
    """CREATE UNIQUE INDEX "diagnostics_deficit_title"
    ON "diagnostics_deficit" ("region_id", "area", "title")""",
    """CREATE TABLE "diagnostics_course" ("id" {pk}, "region_id" INTEGER NOT NULL,
    "title" VARCHAR(500) NOT NULL, "provider" VARCHAR(300) NOT NULL, "hours" INTEGER NOT NULL,
    "federal_register" {bool} NOT NULL, "deficits" TEXT NOT NULL, "active" {bool} NOT NULL,
    FOREIGN KEY ("region_id") REFERENCES "organization" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "diagnostics_course_region_id" ON "diagnostics_course" ("region_id")',
    """CREATE TABLE "diagnostics_setting" ("id" {pk}, "region_id" INTEGER NOT NULL,
    "thresholds" TEXT NOT NULL, "load_cap" INTEGER NOT NULL,
    FOREIGN KEY ("region_id") REFERENCES "organization" ("id") ON DELETE CASCADE)""",
    'CREATE UNIQUE INDEX "diagnostics_setting_region_id" ON "diagnostics_setting" ("region_id")',
    """CREATE TABLE "diagnostics_result" ("id" {pk}, "staff_id" INTEGER NOT NULL,
    "procedure" VARCHAR(16) NOT NULL, "date" DATE NOT NULL, "area" VARCHAR(20) NOT NULL,
    "score" NUMERIC(5, 1) NOT NULL, "level" VARCHAR(16) NOT NULL, "deficits" TEXT NOT NULL,
    "source" VARCHAR(16) NOT NULL, "expert_id" INTEGER, "created_by_id" INTEGER,
    "created_at" {ts} NOT NULL,
    FOREIGN KEY ("staff_id") REFERENCES "staff_member" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("expert_id") REFERENCES "user" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("created_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)""",
    """CREATE UNIQUE INDEX "diagnostics_result_key"
    ON "diagnostics_result" ("staff_id", "procedure", "date", "area")""",
    """CREATE TABLE "diagnostics_route" ("id" {pk}, "staff_id" INTEGER NOT NULL,
    "status" VARCHAR(16) NOT NULL, "deficits" TEXT NOT NULL, "tutor_id" INTEGER,
    "note" TEXT NOT NULL, "created_by_id" INTEGER, "created_at" {ts} NOT NULL,
    "completed_at" {ts},
    FOREIGN KEY ("staff_id") REFERENCES "staff_member" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("tutor_id") REFERENCES "user" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("created_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "diagnostics_route_staff_id" ON "diagnostics_route" ("staff_id")',
    # One active route per person, even when two requests create one at the same moment.
    """CREATE UNIQUE INDEX "diagnostics_route_one_active" ON "diagnostics_route" ("staff_id")
    WHERE "status" = 'active'""",
    """CREATE TABLE "diagnostics_step" ("id" {pk}, "route_id" INTEGER NOT NULL,
    "kind" VARCHAR(20) NOT NULL, "title" VARCHAR(500) NOT NULL, "course_id" INTEGER,
    "supporter_id" INTEGER, "deficits" TEXT NOT NULL, "planned_start" DATE,
    "planned_end" DATE, "status" VARCHAR(16) NOT NULL, "evidence" TEXT NOT NULL,
    "completed_on" DATE, "created_at" {ts} NOT NULL,
    FOREIGN KEY ("route_id") REFERENCES "diagnostics_route" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("course_id") REFERENCES "diagnostics_course" ("id") ON DELETE RESTRICT,
    FOREIGN KEY ("supporter_id") REFERENCES "staff_member" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "diagnostics_step_route_id" ON "diagnostics_step" ("route_id")',
    'CREATE INDEX "diagnostics_step_supporter_id" ON "diagnostics_step" ("supporter_id")',
    """CREATE TABLE "diagnostics_active" ("id" {pk}, "staff_id" INTEGER NOT NULL,
    "area" VARCHAR(20) NOT NULL, "status" VARCHAR(16) NOT NULL, "result_id" INTEGER,
    "proposed_at" {ts} NOT NULL, "decided_by_id" INTEGER, "decided_at" {ts},
    "reason" TEXT NOT NULL,
    FOREIGN KEY ("staff_id") REFERENCES "staff_member" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("result_id") REFERENCES "diagnostics_result" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("decided_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)""",
    """CREATE UNIQUE INDEX "diagnostics_active_key"
    ON "diagnostics_active" ("staff_id", "area")""",
]


def up(db):
    execute_ddl(db, TABLES)
