"""The forms engine's own hook implementations: it declares what it brings (permissions,
commands, migrations, blueprints) through the same hooks as a programme block."""

from core.hookspecs import hookimpl

# --- schedules ---


@hookimpl(specname="register_commands")
def register_schedule_commands(cli):
    """`metodnet schedules run [--today YYYY-MM-DD]`: open the campaigns that are due."""
    from forms.schedule_commands import schedules_group

    cli.add_command(schedules_group)
