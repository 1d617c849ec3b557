"""The sample block's notes table."""

from core.migrator import primary_key_sql


def up(db):
    db.execute_sql(
        f'CREATE TABLE "sample_note" ("id" {primary_key_sql(db)}, "organization_id" INTEGER '
        'NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE, "text" TEXT NOT NULL)'
    )
