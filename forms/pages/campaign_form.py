"""The WTForms form of «Новая кампания» and its translation to the API's body (the same
CampaignSchema loads both), the audience it would reach, and the next period for a copy."""

import datetime as dt

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core import clock, vocabulary
from core.access import ROOT
from core.api.scoping import in_scopes
from core.models import Organization
from core.models.organization import ACTIVATION_KINDS, EDUCATIONAL_KINDS, KINDS
from core.web.forms import PageForm
from forms import audience, periods, store
from forms.models import Campaign, FormDefinition
from forms.visibility import form_visible

MONTHS = [(str(n), periods.MONTHS[n - 1]) for n in range(1, 13)]
QUARTERS = [(str(n), f"{n} квартал") for n in range(1, 5)]


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CampaignCreateForm(PageForm):
    form_code = SelectField("Форма", choices=[])
    title = StringField("Название")
    description = TextAreaField("Описание")
    period_kind = SelectField("Вид периода", choices=list(periods.KINDS.items()))
    year = IntegerField("Год (для учебного года — год его начала)", validators=[Optional()])
    quarter = SelectField("Квартал", choices=QUARTERS)
    month = SelectField("Месяц", choices=MONTHS)
    scope_id = SelectField("Область кампании", choices=[], coerce=int)
    audience_kinds = Checkboxes("Виды организаций", choices=[])
    audience_statuses = Checkboxes("Только со статусами в периоде", choices=[])
    under_age = IntegerField("Работники моложе (лет)", validators=[Optional()])
    experience_below = IntegerField("Стаж меньше (лет)", validators=[Optional()])
    opens_on = DateField("Дата открытия", validators=[Optional()])
    deadline = DateField("Срок сдачи", validators=[Optional()])
    accepts_late = BooleanField("Принимать опоздавшие ответы")


def build(principal, formdata=None, data=None, csrf=True) -> CampaignCreateForm:
    form = CampaignCreateForm(formdata, data=data, meta={"csrf": csrf})
    form.form_code.choices = [(f.code, f.title) for f in usable_forms(principal)]
    form.scope_id.choices = [(o.id, o.name) for o in scopes(principal)]
    form.audience_kinds.choices = [(k, KINDS[k]) for k in EDUCATIONAL_KINDS]
    form.audience_statuses.choices = [
        (c["value"], c["label"]) for c in vocabulary.choices("organization_statuses")
    ]
    if formdata is None and data is None:
        form.audience_kinds.data = list(EDUCATIONAL_KINDS)
        form.year.data = clock.now().year
    return form


def usable_forms(principal) -> list[FormDefinition]:
    """The latest version of every form (not checklist) the principal may open a campaign of."""
    rows = FormDefinition.select().where(
        FormDefinition.id.in_(store.codes_latest()), FormDefinition.kind == "form"
    )
    return [row for row in rows.order_by(FormDefinition.title) if form_visible(principal, row)]


def scopes(principal, permission="campaign.manage") -> list[Organization]:
    """Region, hubs and municipalities where the principal holds ``permission``."""
    paths = principal.scopes(permission)
    query = Organization.select(Organization.id, Organization.name, Organization.path).where(
        Organization.kind.in_(ACTIVATION_KINDS),
        Organization.active == True,  # noqa: E712
    )
    if ROOT not in paths:
        query = query.where(in_scopes(Organization.path, paths))
    return list(query.order_by(Organization.path))


def period_text(form) -> str:
    """The period as the API writes it ("2025", "2025/2026", "2025-Q2", "2025-05")."""
    year, kind = form.year.data, form.period_kind.data
    if year is None:
        return ""
    if kind == "school_year":
        return f"{year}/{year + 1}"
    if kind == "quarter":
        return f"{year}-Q{form.quarter.data}"
    if kind == "month":
        return f"{year}-{int(form.month.data):02d}"
    return str(year)


def body_of(form) -> dict:
    """The API's request body from the page form (CampaignSchema loads it)."""
    staff = {
        key: getattr(form, key).data
        for key in ("under_age", "experience_below")
        if getattr(form, key).data is not None
    }
    return {
        "form_code": form.form_code.data or "",
        "title": (form.title.data or "").strip(),
        "description": form.description.data or "",
        "period_kind": form.period_kind.data,
        "period": period_text(form),
        "scope_id": form.scope_id.data,
        "audience_kinds": form.audience_kinds.data or [],
        "audience_statuses": form.audience_statuses.data or [],
        "audience_staff": staff,
        "opens_on": form.opens_on.data.isoformat() if form.opens_on.data else None,
        "deadline": form.deadline.data.isoformat() if form.deadline.data else None,
        "accepts_late": form.accepts_late.data,
    }


def reach(principal, body) -> dict | None:
    """{"organizations": n, "staff": m or None} the audience would count now, or None when
    the form, scope or period are not chosen yet (nothing is stored)."""
    form = store.get(body.get("form_code") or "")
    scope = Organization.get_or_none(Organization.id == (body.get("scope_id") or 0))
    if form is None or scope is None or not principal.sees(scope.path):
        return None
    if not form_visible(principal, form):
        return None
    try:
        start, end = periods.parse(body["period_kind"], body["period"])
    except (KeyError, ValueError):
        return None
    draft = Campaign(
        form=form,
        scope=scope,
        audience_kinds=body.get("audience_kinds") or [],
        audience_statuses=body.get("audience_statuses") or [],
        audience_staff=body.get("audience_staff") or {},
        period_start=start,
        period_end=end,
    )
    orgs = audience.organizations(draft)
    staff = len(audience.staff(draft, orgs)) if form.level == "staff" else None
    return {"organizations": len(orgs), "staff": staff}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = periods._month_end(year, month + 1).day
    return dt.date(year, month + 1, min(day.day, last))


STEP = {"month": 1, "quarter": 3, "school_year": 12, "year": 12}


def copy_data(campaign) -> dict:
    """The create form's data for the same campaign in the next period, dates moved along."""
    step = STEP[campaign.period_kind]
    start = _add_months(campaign.period_start, step)
    staff = campaign.audience_staff or {}
    return {
        "form_code": campaign.form.code,
        "title": campaign.title,
        "description": campaign.description,
        "period_kind": campaign.period_kind,
        "year": start.year,
        "quarter": str((start.month - 1) // 3 + 1),
        "month": str(start.month),
        "scope_id": campaign.scope_id,
        "audience_kinds": list(campaign.audience_kinds),
        "audience_statuses": list(campaign.audience_statuses),
        "under_age": staff.get("under_age"),
        "experience_below": staff.get("experience_below"),
        "opens_on": _add_months(campaign.opens_on, step),
        "deadline": _add_months(campaign.deadline, step),
        "accepts_late": campaign.accepts_late,
    }
