"""Teachers whose latest result in an area is low and who have no route (active or
completed): the list a methodist acts on, in the export and on the pages alike."""

from core.api.scoping import in_scopes
from core.models import Organization, StaffMember
from plugins.diagnostics.models import Result, Route


def _low_without_route_ids(subtrees) -> dict[int, int]:
    """{result id: staff id} of the latest low result per person and area, people with a
    route that is not cancelled left out.  Read as tuples: a region has ~100,000 results
    and only the latest low ones are worth building as rows."""
    latest = {}
    query = (
        Result.select(Result.id, Result.staff, Result.area, Result.level)
        .join(StaffMember, on=(Result.staff == StaffMember.id))
        .join(Organization)
        .where(in_scopes(Organization.path, subtrees), StaffMember.active == True)  # noqa: E712
        .order_by(Result.date, Result.id)
        .tuples()
    )
    for result_id, staff_id, area, level in query:
        latest[(staff_id, area)] = (result_id, level)
    low = {rid: staff_id for (staff_id, _), (rid, level) in latest.items() if level == "low"}
    with_route = {
        staff_id
        for (staff_id,) in Route.select(Route.staff)
        .where(Route.status != "cancelled", Route.staff.in_(sorted(set(low.values())) or [0]))
        .tuples()
    }
    return {rid: staff_id for rid, staff_id in low.items() if staff_id not in with_route}


def people_low_without_route(subtrees) -> int:
    """How many people ``low_without_route`` would list (the home card's count)."""
    return len(set(_low_without_route_ids(subtrees).values()))


def low_without_route(subtrees) -> list[Result]:
    """The latest low result per person and area under ``subtrees`` (paths), of people
    with no route that is not cancelled; by organisation, name and area."""
    ids = sorted(_low_without_route_ids(subtrees))
    low = []
    for start in range(0, len(ids), 500):  # bounded IN lists
        low += list(
            Result.select(Result, StaffMember, Organization)
            .join(StaffMember, on=(Result.staff == StaffMember.id))
            .join(Organization)
            .where(Result.id.in_(ids[start : start + 500]))
        )
    low.sort(key=lambda r: (r.staff.organization.path, r.staff.full_name, r.area))
    return low
