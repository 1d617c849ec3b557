"""Notes get an author; existing notes keep their text and get an empty author."""

from peewee import CharField
from playhouse.migrate import migrate

from core.migrator import schema_migrator


def up(db):
    migrator = schema_migrator(db)
    migrate(migrator.add_column("sample_note", "author", CharField(max_length=100, default="")))
