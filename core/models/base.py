"""Base model and small field helpers shared by core and plugin models."""

import datetime as dt
import json

from peewee import Model, TextField

from core.db import database


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class JSONField(TextField):
    """JSON stored as text: portable across SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
