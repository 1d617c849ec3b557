"""«Очередь проверки» of a campaign: filters (state, municipality, school), natural order,
pages of 50, and bulk acceptance or return with one reason through ``forms.workflow``'s
accept_each / return_each (the bulk API's domain functions: events fire from there)."""

from flask import g, render_template, request, url_for
from peewee import JOIN
from wtforms import HiddenField, SelectField, TextAreaField

from core.models import Organization, StaffMember
from core.models.organization import in_subtree
from core.web.forms import PageForm
from core.web.session import login_required
from exports.names import natural_key
from forms import workflow
from forms.api.campaigns import decorate
from forms.api.submissions import reviewable
from forms.models import STATES, Submission
from forms.pages.views import bp

PER_PAGE = 50


class BulkForm(PageForm):
    action = SelectField(choices=[("accept", "Принять"), ("return", "Вернуть на доработку")])
    reason = TextAreaField("Причина возврата (одна для всех выбранных)")
    everything = HiddenField()


def _filters():
    return {
        "state": request.values.get("state") or "",
        "municipality": request.values.get("municipality", type=int),
        "school": request.values.get("school", type=int),
    }


def _filtered(query, filters):
    """The queue's query cut by state and municipality (the school is cut in the listing)."""
    if filters["state"] in STATES:
        query = query.where(Submission.state == filters["state"])
    if filters["municipality"]:
        muni = Organization.get_or_none(Organization.id == filters["municipality"])
        query = query.where(in_subtree(Organization.path, muni.path if muni else "/none/"))
    return query


def _municipalities(campaign):
    """Municipalities of the campaign the reviewer may see (choices of the filter)."""
    scopes = g.principal.scopes("submission.review")
    rows = Organization.select(Organization.id, Organization.name, Organization.path).where(
        Organization.kind == "municipality", in_subtree(Organization.path, campaign.scope.path)
    )
    rows = [o for o in rows if any(o.path.startswith(s) or s.startswith(o.path) for s in scopes)]
    return sorted(rows, key=lambda o: natural_key(o.name))


def _listing(query, filters):
    """(this page's submissions in natural order, the schools for the filter, total)."""
    light = (
        query.select(Submission.id, Organization.id, Organization.name, StaffMember.full_name)
        .switch(Submission)
        .join(StaffMember, JOIN.LEFT_OUTER)
    )
    rows = list(light.tuples())
    schools = sorted({(r[1], r[2]) for r in rows}, key=lambda s: natural_key(s[1]))
    if filters["school"]:
        rows = [r for r in rows if r[1] == filters["school"]]
    rows.sort(key=lambda r: (natural_key(r[2]), r[3] or ""))
    page = max(request.args.get("page", 1, type=int), 1)
    ids = [r[0] for r in rows[(page - 1) * PER_PAGE : page * PER_PAGE]]
    chosen = (
        Submission.select(Submission, Organization, StaffMember)
        .join(Organization)
        .switch(Submission)
        .join(StaffMember, JOIN.LEFT_OUTER)
        .where(Submission.id.in_(ids))
    )
    order = {sid: n for n, sid in enumerate(ids)}
    items = sorted(chosen, key=lambda s: order[s.id]) if ids else []
    return items, schools, len(rows), page


def _render(campaign, query, filters, form, notice=None, status=200):
    items, schools, total, page = _listing(_filtered(query, filters), filters)
    groups = []  # staff-level: one group per school, in the page's order
    for item in items:
        if not groups or groups[-1][0].id != item.organization.id:
            groups.append((item.organization, []))
        groups[-1][1].append(item)
    args = {k: v for k, v in filters.items() if v}
    pages = [
        (n, url_for("pages.review_queue", campaign_id=campaign.id, page=n, **args))
        for n in range(1, (total + PER_PAGE - 1) // PER_PAGE + 1)
    ]
    html = render_template(
        "forms/review_list.html",
        campaign=campaign,
        items=items,
        groups=groups,
        staff_level=campaign.form.level == "staff",
        filters=filters,
        municipalities=_municipalities(campaign),
        schools=schools,
        total=total,
        page=page,
        pages=pages if len(pages) > 1 else [],
        form=form,
        notice=notice,
    )
    return html, status


@bp.route("/campaigns/<int:campaign_id>/review")
@login_required
def review_queue(campaign_id):
    campaign, query = reviewable(campaign_id)
    return _render(decorate(campaign), query, _filters(), BulkForm())


@bp.route("/campaigns/<int:campaign_id>/review/bulk", methods=["POST"])
@login_required
def review_bulk(campaign_id):
    """Accept or return the ticked submissions (or every submitted one the filters show)."""
    campaign, query = reviewable(campaign_id)
    decorate(campaign)
    filters = _filters()
    form = BulkForm(request.form)
    if not form.validate():
        return _render(campaign, query, filters, form, status=422)
    reason = (form.reason.data or "").strip()
    if form.action.data == "return" and not reason:
        form.reason.errors = ["Укажите причину возврата."]
        return _render(campaign, query, filters, form, status=422)
    targets = _filtered(query, filters).where(Submission.state == "submitted")
    if filters["school"]:
        targets = targets.where(Organization.id == filters["school"])
    if form.everything.data != "1":
        prefix = "s" if campaign.form.level == "staff" else "o"
        keys = [f"{prefix}{i}" for i in request.form.getlist("subject", type=int)]
        if not keys:
            form.form_errors.append("Отметьте анкеты или выберите «все отправленные».")
            return _render(campaign, query, filters, form, status=422)
        targets = targets.where(Submission.subject_key.in_(keys))
    user = g.principal.user
    if form.action.data == "accept":
        outcome = workflow.accept_each(list(targets), user=user)
        notice = f"Принято анкет: {len(outcome['done'])}."
    else:
        outcome = workflow.return_each(list(targets), reason=reason, user=user)
        notice = f"Возвращено на доработку: {len(outcome['done'])}."
    refusals = [f"{s.organization.name}: {message}" for s, message in outcome["refused"].items()]
    if refusals:
        notice += " Не изменены: " + "; ".join(refusals)
    return _render(campaign, query, filters, BulkForm(), notice=notice)
