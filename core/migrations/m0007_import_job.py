"""Large imports as background jobs (core.import_jobs).  Frozen DDL (see m0001_initial).

The uploaded file is stored in the row (BLOB / BYTEA) so that a worker on any server can
run the job; it is emptied when the job ends.
"""

TABLES = [
    """CREATE TABLE "import_job" ("id" {pk}, "kind" VARCHAR(20) NOT NULL,
    "scope_id" INTEGER NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "user_id" INTEGER REFERENCES "user" ("id") ON DELETE SET NULL,
    "filename" VARCHAR(255) NOT NULL, "data" {blob}, "state" VARCHAR(16) NOT NULL,
    "phase" VARCHAR(16) NOT NULL, "rows_total" INTEGER, "rows_done" INTEGER NOT NULL,
    "report" TEXT, "error" TEXT NOT NULL, "created_at" {ts} NOT NULL, "started_at" {ts},
    "finished_at" {ts})""",
    'CREATE INDEX "import_job_scope_id" ON "import_job" ("scope_id")',
    'CREATE INDEX "import_job_user_id" ON "import_job" ("user_id")',
]


def up(db):
    from core.migrator import COLUMN_TYPES, dialect

    kind = dialect(db)
    blob = "BYTEA" if kind == "postgres" else "BLOB"
    for statement in TABLES:
        db.execute_sql(statement.format(blob=blob, **COLUMN_TYPES[kind]))
