"""Schedules: /api/v1/schedules — when the declared forms open their campaigns by
themselves, and a region's or municipality's change of it (other dates, or off)."""

from flask import current_app
from marshmallow import fields, validate

from core import audit, clock
from core.activation import is_enabled
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.db import database
from core.models import utcnow
from core.models.organization import ACTIVATION_KINDS
from core.schemas.base import BaseSchema, UtcDateTime
from forms import periods, schedules
from forms.models import ScheduleOverride
from forms.scheduled_campaigns import overrides_along, scheduled_declarations

blp = Blueprint(
    "schedules", __name__, url_prefix="/api/v1/schedules", description="Расписания кампаний"
)
PERMISSION = "campaign.manage"


class ScopeQuery(BaseSchema):
    scope = fields.Integer(required=True, metadata={"description": "регион или муниципалитет"})


class OverrideSchema(BaseSchema):
    enabled = fields.Boolean(required=True, metadata={"description": "false: не открывать"})
    opens = fields.String(load_default=None, allow_none=True, metadata={"example": "09-10"})
    opens_day = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1, 28))
    deadline = fields.String(load_default=None, allow_none=True, metadata={"example": "10-15"})
    deadline_days = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(1, 366)
    )
    changed_at = UtcDateTime(dump_only=True)


class OccurrenceSchema(BaseSchema):
    opens_on = fields.Date()
    deadline = fields.Date()
    period = fields.String()
    period_label = fields.String()


class ScheduleSchema(BaseSchema):
    form_code = fields.String()
    title = fields.String()
    plugin = fields.String(allow_none=True)
    scope_id = fields.Integer()
    block_enabled = fields.Boolean(metadata={"description": "блок формы включён здесь"})
    enabled = fields.Boolean(metadata={"description": "расписание действует здесь"})
    declared = fields.Dict(metadata={"description": "расписание из объявления формы"})
    schedule = fields.Dict(metadata={"description": "действующее здесь, с изменениями"})
    override = fields.Nested(OverrideSchema, allow_none=True)
    next = fields.Nested(OccurrenceSchema, metadata={"description": "текущее или ближайшее"})


class ScheduleListSchema(BaseSchema):
    items = fields.List(fields.Nested(ScheduleSchema))


def _scope(org_id, permission=PERMISSION):
    org = scoping.organization(org_id, permission)
    if org.kind not in ACTIVATION_KINDS:
        raise ApiError(422, fields={"scope": ["Расписание меняют для региона или муниципалитета."]})
    return org


def _declarations():
    registry = current_app.extensions["metodnet.registry"]
    return {d["code"]: (d, owner) for d, owner in scheduled_declarations(registry)}


def _declaration(form_code):
    found = _declarations().get(form_code)
    if found is None:
        raise ApiError(404, "У этой формы нет расписания.")
    return found


def _describe(declaration, owner, org):
    registry = current_app.extensions["metodnet.registry"]
    plugin = owner if owner in registry.plugins else None
    overrides = overrides_along(declaration["code"], org)
    schedule, enabled = schedules.apply_overrides(declaration["schedule"], overrides)
    own = overrides[-1] if overrides and overrides[-1].scope_id == org.id else None
    upcoming = schedules.upcoming(schedule, clock.today(org))
    return {
        "form_code": declaration["code"],
        "title": declaration["title"],
        "plugin": plugin,
        "scope_id": org.id,
        "block_enabled": plugin is None or is_enabled(org, plugin),
        "enabled": enabled,
        "declared": declaration["schedule"],
        "schedule": schedule,
        "override": own,
        "next": {
            "opens_on": upcoming.opens_on,
            "deadline": upcoming.deadline,
            "period": upcoming.period,
            "period_label": periods.label(upcoming.period_kind, upcoming.period_start),
        },
    }


@blp.route("")
@blp.arguments(ScopeQuery, location="query")
@blp.response(200, ScheduleListSchema)
def list_schedules(args):
    """Every form with a schedule, as it applies to the region or municipality ``scope``."""
    org = _scope(args["scope"])
    items = [_describe(d, owner, org) for d, owner in _declarations().values()]
    return {"items": items}


@blp.route("/<form_code>/scopes/<int:org_id>")
@blp.response(200, ScheduleSchema)
def get_schedule(form_code, org_id):
    org = _scope(org_id)
    return _describe(*_declaration(form_code), org)


def _snapshot(row):
    if row is None:
        return None
    return {key: getattr(row, key) for key in ("enabled", *schedules.DATE_KEYS)}


@blp.route("/<form_code>/scopes/<int:org_id>", methods=["PUT"])
@blp.arguments(OverrideSchema)
@blp.response(200, ScheduleSchema)
def put_override(body, form_code, org_id):
    """Change the dates or switch the schedule off here (a methodist for their
    municipality, a regional operator for the region); campaigns already opened keep theirs."""
    principal = current()
    org = _scope(org_id)
    declaration, owner = _declaration(form_code)
    above = [o for o in overrides_along(form_code, org) if o.scope_id != org.id]
    proposed = ScheduleOverride(form_code=form_code, scope=org, **body)
    merged, _ = schedules.apply_overrides(declaration["schedule"], [*above, proposed])
    found = schedules.problems(merged)
    if found:
        raise ApiError(422, "Расписание не сходится: проверьте даты.", fields=found)
    with database.atomic():
        row = ScheduleOverride.get_or_none(
            ScheduleOverride.form_code == form_code, ScheduleOverride.scope == org
        )
        before = _snapshot(row)
        if row is None:
            row = proposed
        for key, value in body.items():
            setattr(row, key, value)
        row.changed_by, row.changed_at = principal.user, utcnow()
        row.save()
        audit.record(
            "update" if before else "create",
            user=principal.user,
            object_type="schedule_override",
            object_id=row.id,
            scope_path=org.path,
            before={"form": form_code, **before} if before else None,
            after={"form": form_code, **_snapshot(row)},
        )
    return _describe(declaration, owner, org)


@blp.route("/<form_code>/scopes/<int:org_id>", methods=["DELETE"])
@blp.response(204)
def delete_override(form_code, org_id):
    """Back to the schedule declared (or the one set above this scope)."""
    principal = current()
    org = _scope(org_id)
    _declaration(form_code)
    row = ScheduleOverride.get_or_none(
        ScheduleOverride.form_code == form_code, ScheduleOverride.scope == org
    )
    if row is None:
        raise ApiError(404, "Здесь расписание не менялось.")
    with database.atomic():
        audit.record(
            "delete",
            user=principal.user,
            object_type="schedule_override",
            object_id=row.id,
            scope_path=org.path,
            before={"form": form_code, **_snapshot(row)},
        )
        row.delete_instance()
