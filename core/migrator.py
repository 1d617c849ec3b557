"""Numbered schema migrations, recorded in the database.

Each component (the core, each engine, each plugin) owns a package of modules named
``mNNNN_<what>.py`` with an ``up(db)`` function, declared through the
``register_migrations`` hook (``core.plugin_access.migration_components``).  The runner applies the
missing ones in order, each in its own transaction, and records it in
``schema_migration``; nothing is guessed from the models at run time.
"""

import importlib
import pkgutil
import re
from dataclasses import dataclass

from peewee import CharField, DateTimeField, IntegerField, SqliteDatabase

from core.db import database
from core.models.base import BaseModel, utcnow

_NAME = re.compile(r"^m(\d{4})_(\w+)$")


class SchemaMigration(BaseModel):
    component = CharField(max_length=64)
    number = IntegerField()
    name = CharField(max_length=200)
    applied_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("component", "number"), True),)


@dataclass(frozen=True)
class Migration:
    component: str
    number: int
    name: str
    module: str

    def apply(self, db):
        importlib.import_module(self.module).up(db)


class MigrationError(Exception):
    pass


def discover(component: str, package: str) -> list[Migration]:
    pkg = importlib.import_module(package)
    found = []
    for info in pkgutil.iter_modules(pkg.__path__):
        match = _NAME.match(info.name)
        if match:
            number, name = int(match.group(1)), match.group(2)
            found.append(Migration(component, number, name, f"{package}.{info.name}"))
    found.sort(key=lambda m: m.number)
    numbers = [m.number for m in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise MigrationError(f"{component}: migrations must be numbered 1..N, found {numbers}")
    return found


def dialect(db) -> str:
    return "sqlite" if isinstance(db, SqliteDatabase) else "postgres"


def applied(db) -> set[tuple[str, int]]:
    db.create_tables([SchemaMigration], safe=True)
    return {(row.component, row.number) for row in SchemaMigration.select()}


def pending(components: dict[str, str]) -> list[Migration]:
    db = database.obj
    done = applied(db)
    todo = []
    # In the order given: the core, then the engines, then plugins (their tables refer back).
    for component, package in components.items():
        todo.extend(m for m in discover(component, package) if (component, m.number) not in done)
    return todo


def upgrade(components: dict[str, str], until: dict[str, int] | None = None) -> list[Migration]:
    """Apply pending migrations (up to ``until[component]`` if given)."""
    done = []
    for migration in pending(components):
        limit = (until or {}).get(migration.component)
        if limit is not None and migration.number > limit:
            continue
        with database.atomic():
            migration.apply(database.obj)
            SchemaMigration.create(
                component=migration.component, number=migration.number, name=migration.name
            )
        done.append(migration)
    return done


def status(components: dict[str, str]) -> list[tuple[Migration, bool]]:
    done = applied(database.obj)
    rows = []
    for component, package in components.items():
        rows.extend((m, (component, m.number) in done) for m in discover(component, package))
    return rows


def schema_migrator(db):
    """playhouse.migrate's migrator for ``db``: add_column, add_index, rename..."""
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

    return SqliteMigrator(db) if dialect(db) == "sqlite" else PostgresqlMigrator(db)


def primary_key_sql(db) -> str:
    """The auto-increment primary key column type for raw CREATE TABLE."""
    return "INTEGER NOT NULL PRIMARY KEY" if dialect(db) == "sqlite" else "SERIAL PRIMARY KEY"


COLUMN_TYPES = {
    "sqlite": {"pk": "INTEGER NOT NULL PRIMARY KEY", "bool": "INTEGER", "ts": "DATETIME"},
    "postgres": {"pk": "SERIAL NOT NULL PRIMARY KEY", "bool": "BOOLEAN", "ts": "TIMESTAMP"},
}


def execute_ddl(db, statements) -> None:
    """Run frozen DDL written with {pk}, {bool} and {ts} placeholders on either backend."""
    for statement in statements:
        db.execute_sql(statement.format(**COLUMN_TYPES[dialect(db)]))
