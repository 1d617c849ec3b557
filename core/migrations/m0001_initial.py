"""Initial core schema: organisations, statuses, staff, users, tokens, audit, activation.

Written as frozen DDL (not created from the live models) so that later
migrations always start from the same schema.
"""

TABLES = [
    """CREATE TABLE "organization" ("id" {pk}, "parent_id" INTEGER, "region_id" INTEGER,
    "path" VARCHAR(255) NOT NULL, "kind" VARCHAR(32) NOT NULL, "name" VARCHAR(500) NOT NULL,
    "short_name" VARCHAR(200) NOT NULL, "code" VARCHAR(64) NOT NULL, "active" {bool} NOT NULL,
    "created_at" {ts} NOT NULL,
    FOREIGN KEY ("parent_id") REFERENCES "organization" ("id") ON DELETE RESTRICT)""",
    'CREATE INDEX "organization_parent_id" ON "organization" ("parent_id")',
    'CREATE INDEX "organization_region_id" ON "organization" ("region_id")',
    'CREATE INDEX "organization_kind" ON "organization" ("kind")',
    'CREATE UNIQUE INDEX "organization_region_id_code" ON "organization" ("region_id", "code")',
    """CREATE TABLE "organization_status" ("id" {pk}, "organization_id" INTEGER NOT NULL,
    "status" VARCHAR(40) NOT NULL, "start_date" DATE NOT NULL, "end_date" DATE,
    "note" VARCHAR(500) NOT NULL, "created_at" {ts} NOT NULL,
    FOREIGN KEY ("organization_id") REFERENCES "organization" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "organization_status_organization_id" '
    'ON "organization_status" ("organization_id")',
    """CREATE TABLE "staff_member" ("id" {pk}, "organization_id" INTEGER NOT NULL,
    "code" VARCHAR(64), "full_name" VARCHAR(300) NOT NULL, "position" VARCHAR(200) NOT NULL,
    "subjects" TEXT NOT NULL, "birth_year" INTEGER NOT NULL, "teaching_since" INTEGER,
    "category" VARCHAR(20) NOT NULL, "is_management" {bool} NOT NULL,
    "associations" TEXT NOT NULL, "active" {bool} NOT NULL, "created_at" {ts} NOT NULL,
    FOREIGN KEY ("organization_id") REFERENCES "organization" ("id") ON DELETE RESTRICT)""",
    'CREATE INDEX "staff_member_organization_id" ON "staff_member" ("organization_id")',
    'CREATE UNIQUE INDEX "staff_member_organization_id_code" '
    'ON "staff_member" ("organization_id", "code")',
    """CREATE TABLE "user" ("id" {pk}, "login" VARCHAR(100) NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL, "full_name" VARCHAR(300) NOT NULL,
    "email" VARCHAR(254) NOT NULL, "active" {bool} NOT NULL, "created_at" {ts} NOT NULL)""",
    'CREATE UNIQUE INDEX "user_login" ON "user" ("login")',
    """CREATE TABLE "role_grant" ("id" {pk}, "user_id" INTEGER NOT NULL,
    "role" VARCHAR(32) NOT NULL, "scope_id" INTEGER, "staff_id" INTEGER,
    "created_at" {ts} NOT NULL,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("scope_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("staff_id") REFERENCES "staff_member" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "role_grant_user_id" ON "role_grant" ("user_id")',
    'CREATE INDEX "role_grant_scope_id" ON "role_grant" ("scope_id")',
    'CREATE INDEX "role_grant_staff_id" ON "role_grant" ("staff_id")',
    """CREATE TABLE "api_token" ("id" {pk}, "user_id" INTEGER NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL, "created_at" {ts} NOT NULL,
    "expires_at" {ts} NOT NULL, "revoked_at" {ts},
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "api_token_user_id" ON "api_token" ("user_id")',
    'CREATE UNIQUE INDEX "api_token_token_hash" ON "api_token" ("token_hash")',
    """CREATE TABLE "login_throttle" ("id" {pk}, "login" VARCHAR(100) NOT NULL,
    "failures" INTEGER NOT NULL, "first_failure_at" {ts}, "locked_until" {ts})""",
    'CREATE UNIQUE INDEX "login_throttle_login" ON "login_throttle" ("login")',
    """CREATE TABLE "audit_entry" ("id" {pk}, "at" {ts} NOT NULL, "user_id" INTEGER,
    "login" VARCHAR(100) NOT NULL, "action" VARCHAR(40) NOT NULL,
    "object_type" VARCHAR(60) NOT NULL, "object_id" INTEGER,
    "scope_path" VARCHAR(255) NOT NULL, "before" TEXT, "after" TEXT,
    "remote_addr" VARCHAR(64) NOT NULL,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "audit_entry_at" ON "audit_entry" ("at")',
    'CREATE INDEX "audit_entry_user_id" ON "audit_entry" ("user_id")',
    'CREATE INDEX "audit_entry_action" ON "audit_entry" ("action")',
    """CREATE TABLE "plugin_activation" ("id" {pk}, "organization_id" INTEGER NOT NULL,
    "plugin" VARCHAR(64) NOT NULL, "enabled" {bool} NOT NULL, "changed_at" {ts} NOT NULL,
    "changed_by_id" INTEGER,
    FOREIGN KEY ("organization_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("changed_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "plugin_activation_changed_by_id" ON "plugin_activation" ("changed_by_id")',
    'CREATE UNIQUE INDEX "plugin_activation_organization_id_plugin" '
    'ON "plugin_activation" ("organization_id", "plugin")',
]

# Prefix searches on materialised paths ("/1/5/%"): PostgreSQL needs the
# pattern operator class for LIKE to use the index.
PATH_INDEXES = {
    "sqlite": [
        'CREATE INDEX "organization_path" ON "organization" ("path")',
        'CREATE INDEX "audit_entry_scope_path" ON "audit_entry" ("scope_path")',
    ],
    "postgres": [
        'CREATE INDEX "organization_path" ON "organization" ("path" varchar_pattern_ops)',
        'CREATE INDEX "audit_entry_scope_path" ON "audit_entry" ("scope_path" varchar_pattern_ops)',
    ],
}

# The audit log is append-only: the database itself refuses to rewrite history.
APPEND_ONLY = {
    "sqlite": [
        """CREATE TRIGGER "audit_entry_no_update" BEFORE UPDATE ON "audit_entry"
        BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END""",
        """CREATE TRIGGER "audit_entry_no_delete" BEFORE DELETE ON "audit_entry"
        BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END""",
    ],
    "postgres": [
        """CREATE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER "audit_entry_no_change" BEFORE UPDATE OR DELETE ON "audit_entry"
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
    ],
}


def up(db):
    from core.migrator import dialect, execute_ddl

    execute_ddl(db, TABLES)
    kind = dialect(db)
    for statement in PATH_INDEXES[kind] + APPEND_ONLY[kind]:
        db.execute_sql(statement)
