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
