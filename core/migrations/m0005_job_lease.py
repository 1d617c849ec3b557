"""Leases of background jobs (core.job_leases).  Frozen DDL (see m0001_initial).

One row per job of any kind (an export job now, an import later): which worker process
holds it (host:pid) and until when, its last heartbeat, how many times it was started and
the reason shown to its user when it failed.
"""

TABLES = [
    """CREATE TABLE "job_lease" ("id" {pk}, "kind" VARCHAR(40) NOT NULL,
    "ref_id" INTEGER NOT NULL, "state" VARCHAR(16) NOT NULL,
    "claimed_by" VARCHAR(200) NOT NULL, "lease_until" {ts}, "heartbeat_at" {ts},
    "attempts" INTEGER NOT NULL, "reason" TEXT NOT NULL, "enqueued_at" {ts} NOT NULL,
    "created_at" {ts} NOT NULL)""",
    'CREATE UNIQUE INDEX "job_lease_kind_ref_id" ON "job_lease" ("kind", "ref_id")',
    'CREATE INDEX "job_lease_state" ON "job_lease" ("state")',
]


def up(db):
    from core.migrator import execute_ddl

    execute_ddl(db, TABLES)
