"""Tables of the form engine."""

import functools
import json

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from core.models import BaseModel, JSONField, Organization, StaffMember, User, utcnow


class SharedDefinition(dict):
    """A stored definition, parsed once and shared by every reader: never modify it."""

    shared = True


class DefinitionField(JSONField):
    """Definitions are large (hundreds of fields) and immutable once stored: each distinct
    text is parsed once per process instead of on every request that reads the form."""

    def python_value(self, value):
        return None if value is None else _parsed(value)


@functools.lru_cache(maxsize=128)
def _parsed(text: str) -> SharedDefinition:
    return SharedDefinition(json.loads(text))


class FormDefinition(BaseModel):
    """One version of a form or checklist; a changed definition is a new row."""

    code = CharField(max_length=64)
    version = IntegerField()
    title = CharField(max_length=500)
    kind = CharField(max_length=16)  # form | checklist
    level = CharField(max_length=16)  # organization | staff
    plugin = CharField(max_length=64, null=True)  # owner block; None: custom form
    scope = ForeignKeyField(Organization, null=True, on_delete="RESTRICT", backref="+")
    definition = DefinitionField()
    digest = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = ((("code", "version"), True),)


class Campaign(BaseModel):
    form = ForeignKeyField(FormDefinition, on_delete="RESTRICT", backref="campaigns")
    title = CharField(max_length=500)
    description = TextField(default="")
    period_kind = CharField(max_length=16)
    period_start = DateField()
    period_end = DateField()
    scope = ForeignKeyField(Organization, on_delete="RESTRICT", backref="+")
    audience_kinds = JSONField()
    audience_statuses = JSONField()
    # Staff-level forms: {"under_age": 35, "experience_below": 3} in the period's first year.
    audience_staff = JSONField(default=dict)
    opens_on = DateField()
    deadline = DateField()
    accepts_late = BooleanField(default=False)
    # Set when closed early (forms.campaigns.change): no answers accepted from then on.
    closed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")


STATES = {
    "draft": "Черновик",
    "submitted": "На проверке",
    "returned": "Возвращена на доработку",
    "accepted": "Принята",
}


class Submission(BaseModel):
    campaign = ForeignKeyField(Campaign, on_delete="RESTRICT", backref="submissions")
    organization = ForeignKeyField(Organization, on_delete="RESTRICT", backref="+")
    staff = ForeignKeyField(StaffMember, null=True, on_delete="RESTRICT", backref="+")
    # "o<id>" or "s<id>": one submission per campaign and subject.
    subject_key = CharField(max_length=32)
    state = CharField(max_length=16, default="draft")
    data = JSONField(default=dict)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    first_submitted_at = DateTimeField(null=True)
    submitted_at = DateTimeField(null=True)
    late = BooleanField(default=False)
    # The campaign's deadline when first submitted: ``late`` was judged against it.
    deadline_in_force = DateField(null=True)
    accepted_at = DateTimeField(null=True)
    review_comment = TextField(default="")
    field_comments = JSONField(default=dict)
    deleted_at = DateTimeField(null=True)
    deleted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = ((("campaign", "subject_key"), True),)


class SubmissionEvent(BaseModel):
    """The submission's history: every save and transition."""

    submission = ForeignKeyField(Submission, on_delete="CASCADE", backref="events")
    at = DateTimeField(default=utcnow)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    action = CharField(max_length=16)
    from_state = CharField(max_length=16, null=True)
    to_state = CharField(max_length=16, null=True)
    changes = JSONField(default=dict)  # {field: {"before": ..., "after": ...}}
    comment = TextField(default="")


class IdempotencyRecord(BaseModel):
    """A replayable answer for a client's Idempotency-Key."""

    user = ForeignKeyField(User, on_delete="CASCADE", backref="+")
    key = CharField(max_length=200)
    fingerprint = CharField(max_length=64)
    status = IntegerField()
    body = TextField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "key"), True),)


class ChecklistAudit(BaseModel):
    """A methodical audit: self-assessment, then an expert's scores."""

    checklist = ForeignKeyField(FormDefinition, on_delete="RESTRICT", backref="+")
    organization = ForeignKeyField(Organization, on_delete="RESTRICT", backref="+")
    state = CharField(max_length=24, default="self_assessment")
    self_data = JSONField(default=dict)
    expert = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    expert_data = JSONField(default=dict)
    created_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    self_submitted_at = DateTimeField(null=True)
    reviewed_at = DateTimeField(null=True)


class Webhook(BaseModel):
    """An outgoing webhook of a region (or any subtree): submission events are POSTed to it."""

    organization = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    url = CharField(max_length=2000)
    secret = CharField(max_length=200)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)


class WebhookDelivery(BaseModel):
    """The outbox: one event for one webhook, retried with back-off until delivered."""

    webhook = ForeignKeyField(Webhook, on_delete="CASCADE", backref="deliveries")
    event = JSONField()
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    delivered_at = DateTimeField(null=True)
    last_error = TextField(default="")
    created_at = DateTimeField(default=utcnow)


class ScheduleOpening(BaseModel):
    """A period a form's schedule opened for a municipality; unique, so never twice."""

    form_code = CharField(max_length=64)
    scope = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    period = CharField(max_length=16)  # forms.periods.code: "2025", "2025/2026", "2025-05"
    campaign = ForeignKeyField(Campaign, on_delete="CASCADE", backref="+")
    opened_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("form_code", "scope", "period"), True),)


class ScheduleOverride(BaseModel):
    """A scope's change of a form's declared schedule: off, or other dates.  The nearest
    override on the path region → municipality wins (like a block's activation)."""

    form_code = CharField(max_length=64)
    scope = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    enabled = BooleanField(default=True)
    opens = CharField(max_length=5, null=True)  # "MM-DD" (yearly schedules)
    opens_day = IntegerField(null=True)  # day of the month (monthly, quarterly)
    deadline = CharField(max_length=5, null=True)  # "MM-DD"
    deadline_days = IntegerField(null=True)  # days after the opening day
    changed_at = DateTimeField(default=utcnow)
    changed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = ((("form_code", "scope"), True),)
