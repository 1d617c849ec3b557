"""A background job's lease: who runs it, until when, how often it was started, and why it
failed (see core.job_leases)."""

from peewee import CharField, DateTimeField, IntegerField, TextField

from core.models.base import BaseModel, utcnow


class JobLease(BaseModel):
    kind = CharField(max_length=40)
    ref_id = IntegerField()
    state = CharField(max_length=16, default="queued")  # queued, running, done, failed
    claimed_by = CharField(max_length=200, default="")  # host:pid of the worker process
    lease_until = DateTimeField(null=True)
    heartbeat_at = DateTimeField(null=True)
    attempts = IntegerField(default=0)
    reason = TextField(default="")
    enqueued_at = DateTimeField(default=utcnow)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "job_lease"
        indexes = ((("kind", "ref_id"), True),)
