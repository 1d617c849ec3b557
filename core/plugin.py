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


# --- engine ---
# The core's schema and commands.  Its API blueprints are mounted by ``core.api`` itself,
# before any other's, with the authentication every rule relies on.


@hookimpl
def register_migrations():
    return "core.migrations"


@hookimpl
def register_commands(cli):
    from core import cli as commands

    for command in (
        commands.db_group,
        commands.demo_command,
        commands.import_group,
        commands.template_command,
        commands.user_group,
        commands.staff_group,
        commands.backup_command,
        commands.restore_command,
    ):
        cli.add_command(command)


# --- activity ---


@hookimpl
def staff_erased(staff, user):
    """The evidence of a person's activities may name them (a certificate, a link to their
    page): it goes with their data; the records, dates and hours stay for the figures."""
    from core.models import Activity

    cleared = (
        Activity.update(evidence="")
        .where(Activity.staff == staff, Activity.evidence != "")
        .execute()
    )
    return ["core: подтверждения в записях активностей"] if cleared else []
