"""``metodnet organization time-zone``: the CLI way to set a region's time zone (the API's
is PATCH /api/v1/organizations/{id}); both go through ``organizations.set_time_zone``."""

import click
from flask.cli import with_appcontext

from core import audit, clock, organizations
from core.commands import scope_by_code
from core.db import database


@click.group("organization")
def organization_group():
    """Organisations."""


@organization_group.command("time-zone")
@click.argument("zone", required=False)
@click.option("--scope", "scope_code", required=True, help="Region, hub or municipality code.")
@click.option("--inherit", is_flag=True, help="Drop its own zone: follow the parent's.")
@with_appcontext
def time_zone(zone, scope_code, inherit):
    """Show or set the IANA time zone (e.g. Asia/Tomsk) of --scope."""
    org = scope_by_code(scope_code)
    if zone is None and not inherit:
        click.echo(clock.zone_name(org))
        return
    before = organizations.snapshot(org)
    try:
        with database.atomic():
            organizations.set_time_zone(org, None if inherit else zone)
            org.save()
            old, new = audit.changes(before, organizations.snapshot(org))
            if new:
                audit.record(
                    "update",
                    login="cli",
                    object_type="organization",
                    object_id=org.id,
                    scope_path=org.path,
                    before=old,
                    after=new,
                )
    except organizations.TreeError as error:
        raise click.BadParameter(str(error), param_hint="ZONE") from None
    click.echo(f"{org.code}: {clock.zone_name(org)}")
