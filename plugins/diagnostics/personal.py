"""Who may see a teacher's results and route (personal data), and the record of each read.

The teacher, the school coordinator, the municipality's methodists and the regional
operator see everything of the staff members in their scope; an expert sees only the
results assigned to them for checking and the routes they tutor.
"""

from core import audit
from core.activation import is_enabled
from core.api.auth import current
from core.api.errors import ApiError
from core.db import database
from core.models import StaffMember
from plugins.diagnostics.models import Result, Route

NAME = "diagnostics"
FULL, OWN, ASSIGNED = "full", "own", "assigned"


def staff_member(staff_id) -> StaffMember:
    """The staff member, 404 if unknown or the block is off at their organisation."""
    staff = StaffMember.get_or_none(StaffMember.id == staff_id)
    if staff is None or not is_enabled(staff.organization, NAME):
        raise ApiError(404)
    return staff


def access(staff: StaffMember, *, write=False) -> str:
    """FULL, OWN or ASSIGNED; 404 for what the caller cannot see at all, 403 otherwise."""
    principal = current()
    path = staff.organization.path
    if principal.can("staff.write" if write else "staff.read", path):
        return FULL
    if staff.id in principal.staff_ids:
        return OWN
    user = principal.user
    if Route.select().where(Route.staff == staff, Route.tutor == user).exists() or (
        not write and Result.select().where(Result.staff == staff, Result.expert == user).exists()
    ):
        return ASSIGNED
    if not principal.sees(path):
        raise ApiError(404)
    raise ApiError(403)


def common_path(paths) -> str:
    """The deepest subtree holding every path ("/1/5/" and "/1/6/" → "/1/")."""
    parts = [p.strip("/").split("/") for p in paths]
    shared = []
    for segment in zip(*parts, strict=False):
        if len(set(segment)) > 1:
            break
        shared.append(segment[0])
    return "/" + "".join(f"{s}/" for s in shared)


def record_read(what: str, staff_ids, scope_path: str | None = None) -> None:
    """One audit entry per read of personal results or routes: who, when, which records
    (ids only: the log keeps no personal values)."""
    ids = sorted(set(staff_ids))
    if not ids:
        return
    if scope_path is None:
        from core.models import Organization

        paths = (
            Organization.select(Organization.path)
            .join(StaffMember)
            .where(StaffMember.id.in_(ids))
            .distinct()
            .tuples()
        )
        scope_path = common_path([p for (p,) in paths])
    with database.atomic():
        audit.record(
            "read",
            user=current().user,
            object_type=what,
            object_id=ids[0] if len(ids) == 1 else None,
            scope_path=scope_path,
            after={"staff_ids": ids},
        )
