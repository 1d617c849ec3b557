"""A large import run by the worker (core.import_jobs): the uploaded file kept in the
database (any server's worker can run it), its state and progress, and its report."""

from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core.models.base import BaseModel, JSONField, utcnow
from core.models.organization import Organization
from core.models.user import User


class ImportJob(BaseModel):
    kind = CharField(max_length=20)  # organizations, staff
    scope = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    user = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    filename = CharField(max_length=255, default="")
    data = BlobField(null=True)  # the uploaded file; emptied once the job has ended
    state = CharField(max_length=16, default="queued")  # queued, running, done, failed
    phase = CharField(max_length=16, default="")  # checking, writing (while running)
    rows_total = IntegerField(null=True)
    rows_done = IntegerField(default=0)
    report = JSONField(null=True)  # {"created", "updated", "unchanged"} or {"problems": [...]}
    error = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)

    class Meta:
        table_name = "import_job"
