"""Register of pairs, mentor-school links, region settings (frozen DDL)."""

from core.migrator import execute_ddl

TABLES = [
    """CREATE TABLE "mentoring_pair" ("id" {pk}, "organization_id" INTEGER NOT NULL,
    "mentor_id" INTEGER NOT NULL, "mentee_id" INTEGER NOT NULL, "form" VARCHAR(64) NOT NULL,
    "subject" VARCHAR(200) NOT NULL, "start" DATE NOT NULL, "end" DATE, "goal" TEXT NOT NULL,
    "status" VARCHAR(32) NOT NULL, "submission_id" INTEGER,
    FOREIGN KEY ("organization_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("mentor_id") REFERENCES "staff_member" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("mentee_id") REFERENCES "staff_member" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "mentoring_pair_organization_id" ON "mentoring_pair" ("organization_id")',
    'CREATE INDEX "mentoring_pair_mentee_id" ON "mentoring_pair" ("mentee_id")',
    'CREATE INDEX "mentoring_pair_mentor_id" ON "mentoring_pair" ("mentor_id")',
    """CREATE TABLE "mentoring_school_link" ("id" {pk}, "mentor_school_id" INTEGER NOT NULL,
    "supported_school_id" INTEGER NOT NULL, "start" DATE NOT NULL, "end" DATE,
    "goal" TEXT NOT NULL, "created_at" {ts} NOT NULL, "created_by_id" INTEGER,
    FOREIGN KEY ("mentor_school_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("supported_school_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("created_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)""",
    """CREATE TABLE "mentoring_setting" ("id" {pk}, "region_id" INTEGER NOT NULL,
    "coverage_target" INTEGER NOT NULL, "mentee_cap" INTEGER NOT NULL,
    FOREIGN KEY ("region_id") REFERENCES "organization" ("id") ON DELETE CASCADE)""",
    'CREATE UNIQUE INDEX "mentoring_setting_region_id" ON "mentoring_setting" ("region_id")',
]


def up(db):
    execute_ddl(db, TABLES)
