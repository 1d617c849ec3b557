"""The core service's own hook implementations: it declares what it brings (permissions,
commands, migrations, blueprints) through the same hooks as a programme block."""

from core.hookspecs import hookimpl


@hookimpl
def register_url_resolvers():
    """A block's URL naming a staff member belongs to the person's organisation."""
    return {"staff_id": _staff_organization}


def _staff_organization(staff_id):
    from core.models import Organization, StaffMember

    return (
        Organization.select()
        .join(StaffMember, on=(StaffMember.organization == Organization.id))
        .where(StaffMember.id == staff_id)
        .first()
    )
