"""Opening a campaign: one row and its audit entry, whoever opens it (the API, the
schedule job, a block's demo data)."""

from core import audit
from core.db import database
from forms.models import Campaign


def create(
    form,
    *,
    title,
    period_kind,
    period_start,
    period_end,
    scope,
    audience_kinds,
    audience_statuses=(),
    audience_staff=None,
    opens_on,
    deadline,
    accepts_late=False,
    user=None,
    login=None,
    audit_action="create",
) -> Campaign:
    """Store a campaign of ``form`` for ``scope`` (checks of who may do it are the caller's)."""
    with database.atomic():
        campaign = Campaign.create(
            form=form,
            title=title,
            period_kind=period_kind,
            period_start=period_start,
            period_end=period_end,
            scope=scope,
            audience_kinds=list(audience_kinds),
            audience_statuses=list(audience_statuses),
            audience_staff=dict(audience_staff or {}),
            opens_on=opens_on,
            deadline=deadline,
            accepts_late=accepts_late,
            created_by=user,
        )
        audit.record(
            audit_action,
            user=user,
            login=login,
            object_type="campaign",
            object_id=campaign.id,
            scope_path=scope.path,
            after={
                "form": form.code,
                "version": form.version,
                "title": title,
                "opens_on": str(opens_on),
                "deadline": str(deadline),
            },
        )
    return campaign
