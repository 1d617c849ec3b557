"""`metodnet schedules run`: open what the forms' schedules make due (the worker does it
every hour; the command is for demos, tests and catching up by hand)."""

import click
from flask.cli import with_appcontext

from core.db import database


@click.group("schedules")
def schedules_group():
    """Campaigns that open by themselves on the forms' schedules."""


@schedules_group.command("run")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Open what is due on this day instead of today (YYYY-MM-DD).",
)
@with_appcontext
def run_command(today):
    """Open the campaigns that are due; a period already opened is never opened again."""
    from flask import current_app

    from forms.scheduled_campaigns import open_due

    with database.connection_context():
        opened = open_due(
            current_app.extensions["metodnet.registry"], today.date() if today else None
        )
        for campaign in opened:
            click.echo(
                f"opened «{campaign.title}» for {campaign.scope.name}: "
                f"{campaign.opens_on:%d.%m.%Y} – {campaign.deadline:%d.%m.%Y}"
            )
    click.echo(f"{len(opened)} campaign(s) opened")
