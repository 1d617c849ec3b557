"""Sign-in throttling per client address as well as per login.  Frozen DDL (see m0001_initial).

One row per client (an IPv4 address, or an IPv6 /64): failed sign-ins from it, whatever
login they tried, so guessing many logins from one place is slowed too.
"""

TABLES = [
    """CREATE TABLE "client_throttle" ("id" {pk}, "client" VARCHAR(64) NOT NULL,
    "failures" INTEGER NOT NULL, "first_failure_at" {ts}, "locked_until" {ts})""",
    'CREATE UNIQUE INDEX "client_throttle_client" ON "client_throttle" ("client")',
]


def up(db):
    from core.migrator import execute_ddl

    execute_ddl(db, TABLES)
