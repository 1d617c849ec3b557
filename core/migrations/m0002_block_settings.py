"""Per-region settings of programme blocks (register_settings), one row per region × block."""

TABLES = [
    """CREATE TABLE "block_setting" ("id" {pk}, "region_id" INTEGER NOT NULL,
    "plugin" VARCHAR(64) NOT NULL, "values" TEXT NOT NULL, "changed_at" {ts} NOT NULL,
    "changed_by_id" INTEGER,
    FOREIGN KEY ("region_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("changed_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "block_setting_changed_by_id" ON "block_setting" ("changed_by_id")',
    'CREATE UNIQUE INDEX "block_setting_region_id_plugin" '
    'ON "block_setting" ("region_id", "plugin")',
]


def up(db):
    from core.migrator import execute_ddl

    execute_ddl(db, TABLES)
