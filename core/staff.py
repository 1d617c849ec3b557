"""Staff roster: the fields, and the changes the API and imports make to it.

Every change writes its audit entry in the same transaction and tells the blocks
(``staff_changed``) once that transaction commits, whoever made it.
"""

from core import audit, events
from core.db import database
from core.models import StaffMember
from core.models.organization import EDUCATIONAL_KINDS

# Where pedagogical workers are on the roster.
STAFF_KINDS = EDUCATIONAL_KINDS + ("methodical_centre",)

FIELDS = (
    "code",
    "full_name",
    "position",
    "subjects",
    "birth_year",
    "teaching_since",
    "category",
    "is_management",
    "associations",
    "active",
)


def snapshot(staff) -> dict:
    """The fields the audit log records."""
    return {"organization_id": staff.organization_id, **{k: getattr(staff, k) for k in FIELDS}}


def create(organization, values: dict, *, user, audit_action="create") -> StaffMember:
    """Add a person to the organisation's roster (raises IntegrityError on a taken code)."""
    with events.collecting(), database.atomic():
        staff = StaffMember.create(organization=organization, **values)
        audit.record(
            audit_action,
            user=user,
            object_type="staff",
            object_id=staff.id,
            scope_path=organization.path,
            after=snapshot(staff),
        )
        events.after_commit("staff_changed", staff=staff, action="create", user=user)
    return staff


def save(staff, before: dict, *, user, audit_action="update") -> bool:
    """Store the fields changed on ``staff`` since ``before`` (its snapshot when read);
    leaving (``active`` turned off) is a dismissal.  Returns whether anything changed."""
    with events.collecting(), database.atomic():
        staff.save()
        old, new = audit.changes(before, snapshot(staff))
        if not new:
            return False
        audit.record(
            audit_action,
            user=user,
            object_type="staff",
            object_id=staff.id,
            scope_path=staff.organization.path,
            before=old,
            after=new,
        )
        dismissed = before["active"] and not staff.active
        action = "dismiss" if dismissed else "update"
        events.after_commit("staff_changed", staff=staff, action=action, user=user)
    return True


def accept_support_proposal(staff, supporter, *, kind, reason, user, details) -> None:
    """A methodist accepts a proposal of support for ``staff``: recorded in the audit log,
    then the blocks react (``support_proposal_accepted``: mentoring drafts a pair)."""
    with events.collecting(), database.atomic():
        audit.record(
            "support_proposal",
            user=user,
            object_type="staff",
            object_id=staff.id,
            scope_path=staff.organization.path,
            after=details,
        )
        events.after_commit(
            "support_proposal_accepted",
            staff=staff,
            supporter=supporter,
            kind=kind,
            reason=reason,
            user=user,
        )
