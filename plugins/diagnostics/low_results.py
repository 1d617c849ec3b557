"""Teachers whose latest result in an area is low and who have no route (active or
completed): the list a methodist acts on, in the export and on the pages alike."""

from core.api.scoping import in_scopes
from core.models import Organization, StaffMember
from plugins.diagnostics.models import Result, Route


def low_without_route(subtrees) -> list[Result]:
    """The latest low result per person and area under ``subtrees`` (paths), of people
    with no route that is not cancelled; by organisation, name and area."""
    latest = {}
    query = (
        Result.select(Result, StaffMember, Organization)
        .join(StaffMember, on=(Result.staff == StaffMember.id))
        .join(Organization)
        .where(in_scopes(Organization.path, subtrees), StaffMember.active == True)  # noqa: E712
    )
    for result in query.order_by(Result.date, Result.id):
        latest[(result.staff_id, result.area)] = result
    low = [r for r in latest.values() if r.level == "low"]
    with_route = {
        staff_id
        for (staff_id,) in Route.select(Route.staff)
        .where(Route.status != "cancelled", Route.staff.in_([r.staff_id for r in low] or [0]))
        .tuples()
    }
    low = [r for r in low if r.staff_id not in with_route]
    low.sort(key=lambda r: (r.staff.organization.path, r.staff.full_name, r.area))
    return low
