"""Export jobs run by the worker."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core.models import BaseModel, Organization, User, utcnow

JOB_STATES = {
    "queued": "В очереди",
    "running": "Выполняется",
    "done": "Готово",
    "failed": "Ошибка",
}


class ExportJob(BaseModel):
    code = CharField(max_length=64)
    scope = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    period = CharField(max_length=16, default="")
    campaign_id = IntegerField(null=True)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    state = CharField(max_length=16, default="queued")
    rows_done = IntegerField(default=0)
    rows_total = IntegerField(null=True)
    error = TextField(default="")
    file_path = CharField(max_length=500, default="")
    created_at = DateTimeField(default=utcnow)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
