"""The form engine at start-up: the plugins' forms checked and stored, and its commands.

It reaches the app only through its hook implementations (``forms.plugin``)."""

import logging

import click
from flask.cli import with_appcontext

from core.db import database

log = logging.getLogger(__name__)


def sync_plugin_forms(app) -> int:
    """Store new versions of the forms and checklists plugins declare (if the schema exists)."""
    from forms import store

    with database.connection_context():
        if not database.table_exists("form_definition"):
            return 0
        return store.sync_registered(app.extensions["metodnet.registry"])


@click.group("webhooks")
def webhooks_group():
    """Outgoing webhooks."""


@webhooks_group.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering every --interval seconds.")
@click.option("--interval", default=10, show_default=True)
@with_appcontext
def deliver_command(loop, interval):
    """Send due webhook deliveries (retries back off exponentially)."""
    import time

    from forms.webhooks import deliver_due

    while True:
        with database.connection_context():
            counts = deliver_due()
        click.echo(
            f"delivered {counts['delivered']}, failed {counts['failed']}, "
            f"gave up {counts['gave_up']}"
        )
        if not loop:
            break
        time.sleep(interval)


def check_declarations(registry) -> None:
    """Every form and checklist a plugin declares must be a valid definition."""
    from marshmallow import ValidationError

    from core.api.errors import flatten
    from core.plugins import PluginError
    from forms.definition import load_definition
    from forms.schedules import problems
    from forms.store import definition_of

    for kind, default_kind in (("forms", "form"), ("checklists", "checklist")):
        for declaration in registry.items(kind):
            try:
                load_definition({"kind": default_kind, **definition_of(declaration)})
                if "schedule" in declaration:
                    found = problems(declaration["schedule"])
                    if found:
                        raise ValidationError({"schedule": found})
            except ValidationError as error:
                owner = registry.owner(kind, declaration["code"])
                raise PluginError(
                    f"plugin {owner!r}: {kind} {declaration['code']!r} is invalid: "
                    f"{flatten(error.messages)}"
                ) from None


def start(app) -> None:
    """At start-up (and after `db upgrade`): the blocks' forms are valid and stored."""
    import forms.tasks  # noqa: F401  (registers the periodic webhook delivery with the worker)

    check_declarations(app.extensions["metodnet.registry"])
    added = sync_plugin_forms(app)
    if added:
        log.info("stored %d new form version(s) declared by plugins", added)
