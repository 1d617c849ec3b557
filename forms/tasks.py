"""Periodic work of the form engine, run by `metodnet worker`."""

from huey import crontab

from core.db import database
from core.jobs import huey, in_app


def _deliver():
    from forms.webhooks import deliver_due

    with database.connection_context():
        return deliver_due()


@huey.periodic_task(crontab(minute="*"))
def deliver_webhooks():
    """Send due webhook deliveries every minute (failures retry with back-off)."""
    return in_app(_deliver)


def _open_scheduled():
    from flask import current_app

    from forms.scheduled_campaigns import open_due

    with database.connection_context():
        return len(open_due(current_app.extensions["metodnet.registry"]))


@huey.periodic_task(crontab(minute="7"))
def open_scheduled_campaigns():
    """Open the campaigns whose schedule is due, every hour (idempotent: each period of a
    municipality opens once, however often this runs)."""
    return in_app(_open_scheduled)
