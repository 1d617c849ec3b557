"""Audits with checklists: /api/v1/audits."""

from core.access import ROOT
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.api.pagination import page_of, paginate
from core.models import Organization
from forms import audit_steps, audits, store
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


def _refused(error: WorkflowError):
    return ApiError(error.status, error.message, code=error.code, fields=error.fields)


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
    try:
        return audit_steps.checked_expert(user_id, org)
    except WorkflowError as error:
        raise ApiError(422, fields=error.fields) from None


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
    audit = audit_steps.start(checklist, org, expert=expert, user=principal.user)
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
    try:
        audit_steps.save_self(audit, body["data"])
    except WorkflowError as error:
        raise _refused(error) from None
    return _with_results(audit)


@blp.route("/<int:audit_id>/self-assessment/submit", methods=["POST"])
@blp.response(200, AuditSchema)
def submit_self_assessment(audit_id):
    """Every criterion must be scored; then the expert's turn."""
    audit = audit_for(audit_id)
    scoping.require("audit.self", audit.organization.path)
    try:
        audit_steps.submit_self(audit)
    except WorkflowError as error:
        raise _refused(error) from None
    return _with_results(audit)


@blp.route("/<int:audit_id>/expert", methods=["PUT"])
@blp.arguments(ExpertAssignSchema)
@blp.response(200, AuditSchema)
def assign_expert(body, audit_id):
    """Assign (or replace) the expert; never one from the audited organisation."""
    principal = current()
    audit = audit_for(audit_id)
    scoping.require("audit.manage", audit.organization.path)
    try:
        audit_steps.assign_expert(audit, body["expert_id"], user=principal.user)
    except WorkflowError as error:
        if error.code == "validation_error":
            raise ApiError(422, fields=error.fields) from None
        raise ApiError(error.status, error.message, code=error.code) from None
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
    try:
        audit_steps.save_expert(audit, body["data"])
    except WorkflowError as error:
        raise _refused(error) from None
    return _with_results(audit)


@blp.route("/<int:audit_id>/expert-assessment/complete", methods=["POST"])
@blp.response(200, AuditSchema)
def complete_expert_assessment(audit_id):
    audit = audit_for(audit_id)
    _expert_only(audit)
    try:
        audit_steps.complete_expert(audit, user=current().user)
    except WorkflowError as error:
        raise _refused(error) from None
    return _with_results(audit)
