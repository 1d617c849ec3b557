"""Which organisation a URL of the block belongs to, for the core's activation guard:
a result, route, step or member of the active is the staff member's organisation."""

from core.models import Organization, StaffMember
from plugins.diagnostics.models import ActiveMember, Result, Route, Step


def _of_staff(model, object_id, *through):
    """The organisation of the staff member ``model`` row ``object_id`` belongs to."""
    query = Organization.select().join(
        StaffMember, on=(StaffMember.organization == Organization.id)
    )
    for join, on in through:
        query = query.join(join, on=on)
    return query.where(model.id == object_id).first()


def result(result_id):
    return _of_staff(Result, result_id, (Result, Result.staff == StaffMember.id))


def route(route_id):
    return _of_staff(Route, route_id, (Route, Route.staff == StaffMember.id))


def step(step_id):
    return _of_staff(
        Step, step_id, (Route, Route.staff == StaffMember.id), (Step, Step.route == Route.id)
    )


def active_member(member_id):
    return _of_staff(ActiveMember, member_id, (ActiveMember, ActiveMember.staff == StaffMember.id))


RESOLVERS = {
    "result_id": result,
    "route_id": route,
    "step_id": step,
    "member_id": active_member,
}
