"""Opening a campaign and changing it: one row and its audit entry, whoever does it (the
API, the page, the schedule job, a block's demo data)."""

from core import audit, clock
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
    description="",
    user=None,
    login=None,
    audit_action="create",
) -> Campaign:
    """Store a campaign of ``form`` for ``scope`` (checks of who may do it are the caller's)."""
    with database.atomic():
        campaign = Campaign.create(
            form=form,
            title=title,
            description=description,
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


CHANGEABLE = ("title", "description", "deadline", "accepts_late")


def _refuse(status, code, field, message):
    from forms.workflow import WorkflowError

    raise WorkflowError(status, code, message, {field: [message]})


def change(campaign, *, user, reason, close=False, confirm=False, **changes) -> dict:
    """Change ``campaign`` (title, description, deadline, late acceptance) and/or close it
    now, with the reason in the audit log; return {field: {"before", "after"}}.

    Late flags are judged at each submission's first submit against the deadline then in
    force (forms.workflow.submit), so an extension never rewrites them. Refusals name the
    field and change nothing."""
    reason = (reason or "").strip()
    if not reason:
        _refuse(422, "validation_error", "reason", "Укажите причину изменения.")
    changes = {key: value for key, value in changes.items() if key in CHANGEABLE}
    wanted = {k: v for k, v in changes.items() if getattr(campaign, k) != v}
    if close and campaign.closed_at is not None:
        _refuse(409, "campaign_closed", "close", "Кампания уже закрыта.")
    if not wanted and not close:
        _refuse(422, "validation_error", "_schema", "Не указано ни одного изменения.")
    deadline = wanted.get("deadline")
    if deadline is not None:
        if campaign.closed_at is not None:
            _refuse(409, "campaign_closed", "deadline", "Кампания закрыта: срок уже не важен.")
        if deadline < campaign.opens_on:
            _refuse(
                422,
                "validation_error",
                "deadline",
                f"Срок сдачи раньше даты открытия ({campaign.opens_on:%d.%m.%Y}).",
            )
        if deadline < campaign.deadline and deadline < clock.today(campaign.scope) and not confirm:
            _refuse(
                409,
                "confirmation_required",
                "confirm",
                f"Новый срок {deadline:%d.%m.%Y} уже прошёл: неотправленные анкеты станут "
                "опоздавшими. Подтвердите изменение (confirm).",
            )
    diff = {
        k: {"before": _plain(getattr(campaign, k)), "after": _plain(v)} for k, v in wanted.items()
    }
    with database.atomic():
        for key, value in wanted.items():
            setattr(campaign, key, value)
        if close:
            campaign.closed_at = clock.stamp()
            diff["closed_at"] = {"before": None, "after": campaign.closed_at.isoformat()}
        campaign.save()
        audit.record(
            "change",
            user=user,
            object_type="campaign",
            object_id=campaign.id,
            scope_path=campaign.scope.path,
            before={k: v["before"] for k, v in diff.items()},
            after={**{k: v["after"] for k, v in diff.items()}, "reason": reason},
        )
    return diff


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def open_for(principal, body) -> Campaign:
    """Open a campaign as ``principal`` from a loaded CampaignSchema body: who may, which
    form, which audience; refusals name the field (the API's POST and the page's form)."""
    from core.models import Organization
    from forms import periods, store
    from forms.visibility import form_visible, plugin_reachable

    if not principal.scopes("campaign.manage"):
        _refuse(403, "forbidden", "_schema", "Недостаточно прав.")
    scope = Organization.get_or_none(Organization.id == body["scope_id"])
    if scope is None or not principal.sees(scope.path):
        _refuse(422, "validation_error", "scope_id", "Организация не найдена.")
    if not principal.can("campaign.manage", scope.path):
        _refuse(403, "forbidden", "scope_id", "Недостаточно прав в этой области.")
    form = store.get(body["form_code"], body.get("form_version"))
    if form is None or form.kind != "form" or not form_visible(principal, form):
        _refuse(422, "validation_error", "form_code", "Форма не найдена.")
    if form.plugin and not plugin_reachable(principal, form.plugin):
        message = "Программный блок этой формы не включён в вашей области."
        _refuse(422, "validation_error", "form_code", message)
    if body.get("audience_staff") and form.level != "staff":
        message = "Возраст и стаж задаются только для форм работника."
        _refuse(422, "validation_error", "audience_staff", message)
    start, end = periods.parse(body["period_kind"], body["period"])
    return create(
        form,
        title=body["title"],
        period_kind=body["period_kind"],
        period_start=start,
        period_end=end,
        scope=scope,
        audience_kinds=body["audience_kinds"],
        audience_statuses=body.get("audience_statuses", ()),
        audience_staff=body.get("audience_staff"),
        opens_on=body["opens_on"],
        deadline=body["deadline"],
        accepts_late=body.get("accepts_late", False),
        description=body.get("description", ""),
        user=principal.user,
    )
