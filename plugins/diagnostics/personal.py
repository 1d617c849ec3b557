"""Who may see a teacher's results and route (personal data), and the record of each read.

The teacher, the school coordinator, the municipality's methodists and the regional
operator see everything of the staff members in their scope; an expert sees only the
results assigned to them for checking and the routes they tutor.
"""

from core import personal_data
from core.api.auth import current
from core.api.errors import ApiError
from core.models import StaffMember
from plugins.diagnostics.models import Result, Route

NAME = "diagnostics"
FULL, OWN, ASSIGNED = "full", "own", "assigned"


def staff_member(staff_id) -> StaffMember:
    """The staff member, 404 if unknown.  Where the block is off the URL answered 404
    before the view ran: the core's guard resolves ``staff_id``, ``result_id``...
    (``plugins.diagnostics.url_owners``)."""
    staff = StaffMember.get_or_none(StaffMember.id == staff_id)
    if staff is None:
        raise ApiError(404)
    return staff


def access(staff: StaffMember, *, write=False) -> str:
    """FULL, OWN or ASSIGNED; 404 for what the caller cannot see at all, 403 otherwise."""
    principal = current()
    path = staff.organization.path
    if principal.can("diagnostics.results.write" if write else "diagnostics.results.read", path):
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


def record_read(what: str, staff_ids) -> None:
    """One personal-data read per person shown (who, when, which record, through what),
    in the core's form, so the operator's listing for a record shows it too."""
    ids = sorted(set(staff_ids))
    if not ids:
        return
    people = StaffMember.select(StaffMember.id, StaffMember.organization).where(
        StaffMember.id.in_(ids)
    )
    personal_data.record_reads(current().user, list(people), via=what)
