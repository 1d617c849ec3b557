"""Audits with checklists: /api/v1/audits."""

from core import audit as audit_log
from core.access import ROOT
from core.api import scoping
from core.api.auth import current, principal_for
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.api.pagination import page_of, paginate
from core.db import database
from core.models import Organization, User, utcnow
from forms import audits, store
from forms.models import ChecklistAudit
from forms.schemas import (
    AuditCreateSchema,
    AuditQuery,
    AuditSchema,
    ExpertAssignSchema,
    ScoresSchema,
)
from forms.visibility import form_visible
from forms.workflow import WorkflowError

blp = Blueprint("audits", __name__, url_prefix="/api/v1/audits", description="Методический аудит")


def _checked(audit, state, data, *, complete):
    """The audit is in ``state`` and ``data`` are valid scores; returns the scores."""
    try:
        audits.require_state(audit, state)
        return audits.validated(audit.checklist.definition, data, complete=complete)
    except WorkflowError as error:
        raise ApiError(error.status, error.message, code=error.code, fields=error.fields) from None


def _with_results(audit):
    audit.results = audits.results(audit)
    return audit


def audit_for(audit_id) -> ChecklistAudit:
    """Visible to those who see the organisation, and to the assigned expert."""
    principal = current()
    audit = ChecklistAudit.get_or_none(ChecklistAudit.id == audit_id)
    if audit is None:
        raise ApiError(404)
    if audit.expert_id == principal.user.id or principal.sees(audit.organization.path):
        return audit
    raise ApiError(404)


@blp.route("")
@blp.arguments(AuditQuery, location="query")
@blp.response(200, page_of(AuditSchema))
def list_audits(args):
    principal = current()
    scopes = principal.scopes()
    query = ChecklistAudit.select().join(Organization)
    if ROOT not in scopes:
        query = query.where(
            scoping.in_scopes(Organization.path, scopes) | (ChecklistAudit.expert == principal.user)
        )
    if "organization" in args:
        query = query.where(ChecklistAudit.organization == args["organization"])
    if "state" in args:
        query = query.where(ChecklistAudit.state == args["state"])
    page = paginate(query.order_by(ChecklistAudit.id.desc()), args)
    page["items"] = [_with_results(a) for a in page["items"]]
    return page


def _check_expert(user_id, org):
    expert = User.get_or_none(User.id == user_id)
    # Someone who is no expert here answers like an unknown id: no oracle of accounts.
    if (
        expert is None
        or not expert.active
        or not principal_for(expert).can("audit.expert", org.path)
    ):
        raise ApiError(422, fields={"expert_id": ["Эксперт не найден в этой области."]})
    if audits.own_organisation(expert, org):
        raise ApiError(422, fields={"expert_id": ["Эксперт не проверяет собственную организацию."]})
    return expert


@blp.route("", methods=["POST"])
@blp.arguments(AuditCreateSchema)
@blp.response(201, AuditSchema)
def create_audit(body):
    """Start an audit of an organisation with a checklist (and assign an expert now or later)."""
    principal = current()
    org = Organization.get_or_none(Organization.id == body["organization_id"])
    if org is None or not principal.sees(org.path):
        raise ApiError(422, fields={"organization_id": ["Организация не найдена."]})
    scoping.require("audit.manage", org.path)
    checklist = store.get(body["checklist_code"])
    if checklist is None or checklist.kind != "checklist" or not form_visible(principal, checklist):
        raise ApiError(422, fields={"checklist_code": ["Чек-лист не найден."]})
    expert = _check_expert(body["expert_id"], org) if body["expert_id"] else None
    with database.atomic():
        audit = ChecklistAudit.create(
            checklist=checklist, organization=org, expert=expert, created_by=principal.user
        )
        audit_log.record(
            "create",
            user=principal.user,
            object_type="checklist_audit",
            object_id=audit.id,
            scope_path=org.path,
            after={"checklist": checklist.code, "expert_id": audit.expert_id},
        )
    return _with_results(audit)


@blp.route("/<int:audit_id>")
@blp.response(200, AuditSchema)
def get_audit(audit_id):
    """The audit with results per direction and in total, self vs expert, and the gap."""
    return _with_results(audit_for(audit_id))


@blp.route("/<int:audit_id>/self-assessment", methods=["PUT"])
@blp.arguments(ScoresSchema)
@blp.response(200, AuditSchema)
def save_self_assessment(body, audit_id):
    audit = audit_for(audit_id)
    scoping.require("audit.self", audit.organization.path)
    data = _checked(audit, "self_assessment", body["data"], complete=False)
    with database.atomic():
        audit.self_data = data
        audit.save()
    return _with_results(audit)


@blp.route("/<int:audit_id>/self-assessment/submit", methods=["POST"])
@blp.response(200, AuditSchema)
def submit_self_assessment(audit_id):
    """Every criterion must be scored; then the expert's turn."""
    audit = audit_for(audit_id)
    scoping.require("audit.self", audit.organization.path)
    _checked(audit, "self_assessment", audit.self_data, complete=True)
    with database.atomic():
        audit.state = "expert_review" if audit.expert_id else "awaiting_expert"
        audit.self_submitted_at = utcnow()
        audit.save()
    return _with_results(audit)


@blp.route("/<int:audit_id>/expert", methods=["PUT"])
@blp.arguments(ExpertAssignSchema)
@blp.response(200, AuditSchema)
def assign_expert(body, audit_id):
    """Assign (or replace) the expert; never one from the audited organisation."""
    principal = current()
    audit = audit_for(audit_id)
    scoping.require("audit.manage", audit.organization.path)
    if audit.state == "completed":
        raise ApiError(409, "Аудит завершён.", code="invalid_transition")
    expert = _check_expert(body["expert_id"], audit.organization)
    with database.atomic():
        audit.expert = expert
        if audit.state == "awaiting_expert":
            audit.state = "expert_review"
        audit.save()
        audit_log.record(
            "assign_expert",
            user=principal.user,
            object_type="checklist_audit",
            object_id=audit.id,
            scope_path=audit.organization.path,
            after={"expert_id": expert.id},
        )
    return _with_results(audit)


def _expert_only(audit):
    if audit.expert_id != current().user.id:
        raise ApiError(403, "Оценки ставит назначенный эксперт.")


@blp.route("/<int:audit_id>/expert-assessment", methods=["PUT"])
@blp.arguments(ScoresSchema)
@blp.response(200, AuditSchema)
def save_expert_assessment(body, audit_id):
    """The expert's scores with a comment (evidence) per criterion."""
    audit = audit_for(audit_id)
    _expert_only(audit)
    data = _checked(audit, "expert_review", body["data"], complete=False)
    with database.atomic():
        audit.expert_data = data
        audit.save()
    return _with_results(audit)


@blp.route("/<int:audit_id>/expert-assessment/complete", methods=["POST"])
@blp.response(200, AuditSchema)
def complete_expert_assessment(audit_id):
    audit = audit_for(audit_id)
    _expert_only(audit)
    _checked(audit, "expert_review", audit.expert_data, complete=True)
    with database.atomic():
        audit.state = "completed"
        audit.reviewed_at = utcnow()
        audit.save()
        audit_log.record(
            "complete",
            user=current().user,
            object_type="checklist_audit",
            object_id=audit.id,
            scope_path=audit.organization.path,
            after=audits.results(audit)["expert"],
        )
    return _with_results(audit)
