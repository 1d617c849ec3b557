"""The steps of an audit, one domain function each, for the API (forms/api/audits.py) and the
pages (forms/pages/audit_pages.py): who may do a step is the caller's check; states, scores,
the expert rule and the audit entries are here."""

from core import access
from core import audit as audit_log
from core.api.auth import principal_for
from core.db import database
from core.models import RoleGrant, User, utcnow
from forms import audits
from forms.models import ChecklistAudit
from forms.workflow import WorkflowError

NOT_FOUND = "Эксперт не найден в этой области."
OWN = "Эксперт не проверяет собственную организацию."


def expert_refusal(expert, org) -> str | None:
    """Why ``expert`` may not score ``org`` (None: eligible). Someone who is no expert
    here is told the same as an unknown id: no oracle of accounts."""
    if expert is None or not expert.active:
        return NOT_FOUND
    if not principal_for(expert).can("audit.expert", org.path):
        return NOT_FOUND
    if audits.own_organisation(expert, org):
        return OWN
    return None


def checked_expert(expert_id, org) -> User:
    expert = User.get_or_none(User.id == expert_id)
    refusal = expert_refusal(expert, org)
    if refusal:
        raise WorkflowError(422, "validation_error", refusal, {"expert_id": [refusal]})
    return expert


def eligible_experts(org) -> list[User]:
    """Active users who may score ``org``: an expert grant at or above it, none inside it."""
    above = [int(part) for part in org.path.strip("/").split("/")]
    grants = (
        RoleGrant.select(RoleGrant, User)
        .join(User)
        .where(
            User.active == True,  # noqa: E712
            RoleGrant.role.in_(list(access.table().holders("audit.expert"))),
            RoleGrant.scope.in_(above) | RoleGrant.scope.is_null(),
        )
    )
    users = {grant.user.id: grant.user for grant in grants}
    chosen = [u for u in users.values() if expert_refusal(u, org) is None]
    return sorted(chosen, key=lambda u: u.full_name)


def start(checklist, org, *, expert, user) -> ChecklistAudit:
    with database.atomic():
        audit = ChecklistAudit.create(
            checklist=checklist, organization=org, expert=expert, created_by=user
        )
        audit_log.record(
            "create",
            user=user,
            object_type="checklist_audit",
            object_id=audit.id,
            scope_path=org.path,
            after={"checklist": checklist.code, "expert_id": audit.expert_id},
        )
    return audit


def _checked(audit, state, data, *, complete):
    audits.require_state(audit, state)
    return audits.validated(audit.checklist.definition, data, complete=complete)


def save_self(audit, data):
    data = _checked(audit, "self_assessment", data, complete=False)
    with database.atomic():
        audit.self_data = data
        audit.save()


def submit_self(audit):
    """Every criterion must be scored; then the expert's turn."""
    _checked(audit, "self_assessment", audit.self_data, complete=True)
    with database.atomic():
        audit.state = "expert_review" if audit.expert_id else "awaiting_expert"
        audit.self_submitted_at = utcnow()
        audit.save()


def assign_expert(audit, expert_id, *, user):
    """Assign (or replace) the expert; never one from the audited organisation."""
    if audit.state == "completed":
        raise WorkflowError(409, "invalid_transition", "Аудит завершён.")
    expert = checked_expert(expert_id, audit.organization)
    with database.atomic():
        audit.expert = expert
        if audit.state == "awaiting_expert":
            audit.state = "expert_review"
        audit.save()
        audit_log.record(
            "assign_expert",
            user=user,
            object_type="checklist_audit",
            object_id=audit.id,
            scope_path=audit.organization.path,
            after={"expert_id": expert.id},
        )


def save_expert(audit, data):
    data = _checked(audit, "expert_review", data, complete=False)
    with database.atomic():
        audit.expert_data = data
        audit.save()


def complete_expert(audit, *, user):
    _checked(audit, "expert_review", audit.expert_data, complete=True)
    with database.atomic():
        audit.state = "completed"
        audit.reviewed_at = utcnow()
        audit.save()
        audit_log.record(
            "complete",
            user=user,
            object_type="checklist_audit",
            object_id=audit.id,
            scope_path=audit.organization.path,
            after=audits.results(audit)["expert"],
        )
