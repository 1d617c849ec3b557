"""The core service's own hook implementations: it declares what it brings (permissions,
commands, migrations, blueprints) through the same hooks as a programme block."""

from core.hookspecs import hookimpl  # noqa: F401

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
