"""Personal data of staff members (Russian law 152-FZ): what counts as it, who read it,
and erasure on request.

* The audit log never stores personal data values or secrets (``audit.redact`` masks them),
  so the log can stay append-only and still hold nothing to erase.
* Every read of a staff record through the API and every export that lists people is an
  audit entry; ``accesses`` lists them for one record (who, when, how).
* ``erase`` anonymises a record in place. The row stays, with its organisation, position,
  subjects, category, activity, birth year and first teaching year: the regional figures
  (headcounts, under-35s, first three years, mentoring coverage) are computed from those and
  must not change when one person asks to be forgotten. Everything that names or contacts
  the person — name, personnel code, free-text memberships — and any account linked to the
  record is cleared.
"""

from core import audit, vocabulary
from core.db import database
from core.models import ApiToken, AuditEntry, Organization, RoleGrant, StaffMember, User
from core.models.base import utcnow
from core.plugin_access import manager

# What erasure clears, and what it keeps for the figures (documented in the module docstring).
ERASED_FIELDS = ("full_name", "code", "associations")
KEPT_FIELDS = ("birth_year", "teaching_since", "position", "subjects", "category", "active")


def personal_fields(object_type: str) -> set[str]:
    """Keys of ``object_type``'s audited values that are personal data, as the core and the
    blocks declared them (vocabulary "personal_data_fields"; an entry without
    "object_types" is personal in every object)."""
    return {
        code
        for code, entry in vocabulary.entries("personal_data_fields").items()
        if object_type in entry.get("object_types", (object_type,))
    }


READ = "pd_read"
ERASE = "pd_erase"


def record_reads(user, staff_list, via: str) -> None:
    """One audit entry per staff record shown to ``user`` (``via``: how it was read)."""
    org_ids = {staff.organization_id for staff in staff_list}
    paths = (
        dict(
            Organization.select(Organization.id, Organization.path)
            .where(Organization.id.in_(org_ids))
            .tuples()
        )
        if org_ids
        else {}
    )
    rows = [
        {
            "at": utcnow(),
            "user": user.id if user else None,
            "login": user.login if user else "",
            "action": READ,
            "object_type": "staff",
            "object_id": staff.id,
            "scope_path": paths[staff.organization_id],
            "after": {"via": via},
            "remote_addr": audit.remote_addr(),
        }
        for staff in staff_list
    ]
    if rows:
        with database.atomic():
            AuditEntry.insert_many(rows).execute()


def _ancestor_paths(path: str) -> list[str]:
    """ "/1/4/9/" → ["/", "/1/", "/1/4/", "/1/4/9/"]: the scopes that contain ``path``."""
    parts = [p for p in path.split("/") if p]
    return ["/"] + ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def accesses(staff_id: int):
    """Audit entries about one staff record: its reads, changes and erasure, plus every export
    listing people whose scope covered the record's organisation."""
    staff = StaffMember.get_or_none(StaffMember.id == staff_id)
    direct = (AuditEntry.object_type == "staff") & (AuditEntry.object_id == staff_id)
    if staff is None:
        return direct
    path = Organization.get_by_id(staff.organization_id).path
    exports = (
        (AuditEntry.action == "export")
        & AuditEntry.scope_path.in_(_ancestor_paths(path))
        # JSON is stored as text (sorted keys, default separators): portable on both backends.
        & AuditEntry.after.contains('"personal_data": true')
    )
    return direct | exports


def erase(staff: StaffMember, *, reason="", user=None, login=None) -> dict:
    """Anonymise ``staff`` and the accounts linked to it; return what was done."""
    with database.atomic():
        staff.full_name = f"Обезличенный работник № {staff.id}"
        staff.code = None
        staff.associations = []
        staff.save()
        linked = list(User.select().join(RoleGrant).where(RoleGrant.staff == staff).distinct())
        for account in linked:
            account.full_name = f"Обезличено № {account.id}"
            account.email = ""
            account.active = False
            account.save()
            ApiToken.update(revoked_at=utcnow()).where(
                ApiToken.user == account, ApiToken.revoked_at.is_null()
            ).execute()
        cleared = manager().hook.staff_erased(staff=staff, user=user)
        result = {
            "staff_id": staff.id,
            "erased_fields": list(ERASED_FIELDS),
            "kept_fields": list(KEPT_FIELDS),
            "deactivated_users": [a.id for a in linked],
            "cleared_by_blocks": sorted(item for items in cleared for item in items or []),
        }
        audit.record(
            ERASE,
            user=user,
            login=login,
            object_type="staff",
            object_id=staff.id,
            scope_path=staff.organization.path,
            after={**result, "reason": reason},
        )
    return result


def extract(staff_id: int) -> list[dict]:
    """The audit log's entries about the record, oldest first: the proof of erasure."""
    query = AuditEntry.select().where(accesses(staff_id)).order_by(AuditEntry.id)
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "user_id": e.user_id,
            "login": e.login,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "before": e.before,
            "after": e.after,
        }
        for e in query
    ]
