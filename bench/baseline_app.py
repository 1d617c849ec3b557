"""The submissions benchmark's baseline: a bare Flask + marshmallow + peewee endpoint.

It validates the same JSON against a hand-built marshmallow schema of the same fields
and inserts it into one table, taking a pooled connection per request as the product does
and with the same database settings (core.db.open_database: WAL and synchronous=FULL on
SQLite).
Served by gunicorn like the product: ``gunicorn 'bench.baseline_app:create_app()'``
with BENCH_DATABASE_URL and BENCH_FIELDS set.
"""

import os

from flask import Flask, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate
from peewee import DateTimeField, IntegerField, Model

from bench.form_fixture import CHOICES, TYPES
from core.db import open_database
from core.models.base import JSONField, utcnow


def schema_for(n: int) -> Schema:
    make = {
        "integer": lambda: fields.Integer(required=True, validate=validate.Range(0, 100_000)),
        "decimal": lambda: fields.Decimal(
            required=True, places=2, as_string=True, validate=validate.Range(0, 1_000_000)
        ),
        "text": lambda: fields.String(required=True, validate=validate.Length(max=200)),
        "boolean": lambda: fields.Boolean(required=True),
        "choice": lambda: fields.String(required=True, validate=validate.OneOf(CHOICES)),
        "date": lambda: fields.Date(required=True),
    }
    declared = {f"f{i:03d}": make[TYPES[i % len(TYPES)]]() for i in range(n)}
    return Schema.from_dict(declared)()


def create_app():
    db = open_database(os.environ["BENCH_DATABASE_URL"])
    schema = schema_for(int(os.environ["BENCH_FIELDS"]))

    class Answer(Model):
        organization_id = IntegerField()
        data = JSONField()
        created_at = DateTimeField(default=utcnow)

        class Meta:
            database = db
            table_name = "bench_baseline_answer"

    with db.connection_context():
        db.create_tables([Answer], safe=True)
    db.close_all()  # as the product does: no pooled connection crosses gunicorn's fork
    app = Flask(__name__)

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()

    @app.put("/answers/<int:org_id>")
    def save(org_id):
        try:
            data = schema.load(request.get_json()["data"])
        except ValidationError as error:
            return jsonify(error=error.messages), 422
        with db.atomic():
            row = Answer.create(organization_id=org_id, data=schema.dump(data))
        return jsonify(id=row.id, organization_id=org_id), 201

    return app
