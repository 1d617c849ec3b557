"""A person's professional activities (the growth profile).  Frozen DDL (see m0001_initial).

One row per person and source of a block (unique), so a block updates its record in place
instead of adding another; a withdrawn source is marked cancelled, never deleted.
"""

TABLES = [
    """CREATE TABLE "activity" ("id" {pk}, "staff_id" INTEGER NOT NULL,
    "block" VARCHAR(64) NOT NULL, "kind" VARCHAR(40) NOT NULL, "role" VARCHAR(20) NOT NULL,
    "level" VARCHAR(20) NOT NULL, "title" VARCHAR(500) NOT NULL,
    "result" VARCHAR(200) NOT NULL, "date" DATE NOT NULL, "end_date" DATE,
    "hours" DECIMAL(6, 1), "evidence" TEXT NOT NULL,
    "source_type" VARCHAR(40) NOT NULL, "source_id" VARCHAR(100) NOT NULL,
    "cancelled" {bool} NOT NULL, "created_at" {ts} NOT NULL, "updated_at" {ts} NOT NULL,
    FOREIGN KEY ("staff_id") REFERENCES "staff_member" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "activity_staff_id" ON "activity" ("staff_id")',
    'CREATE INDEX "activity_date" ON "activity" ("date")',
    'CREATE UNIQUE INDEX "activity_block_source_type_source_id_staff_id" '
    'ON "activity" ("block", "source_type", "source_id", "staff_id")',
]


def up(db):
    from core.migrator import execute_ddl

    execute_ddl(db, TABLES)
