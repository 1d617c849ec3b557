"""The form engine's pages, rendered in the core's shell (core/web): my campaigns, fill a
form, review queue, one submission, progress."""

from flask import Blueprint, g, render_template, request

from core.api.errors import ApiError
from core.web.session import login_required
from forms import workflow
from forms.api.campaigns import campaign_for, decorate, my_submissions
from forms.api.submissions import may_fill, may_review, subject
from forms.definition import field_map, iter_fields
from forms.models import STATES, Campaign, SubmissionEvent
from forms.pages import dashboard
from forms.references import checker, staff_options
from forms.to_wtforms import html_validate, make_form
from forms.visibility import campaign_visible, related_campaigns

bp = Blueprint(
    "pages",
    __name__,
    template_folder="../templates",  # forms/templates/forms/…
    static_folder="../static",
    static_url_path="/static/forms",
)


@bp.context_processor
def _helpers():
    return {"STATES": STATES}


@bp.route("/campaigns")
@login_required
def campaigns():
    principal = g.principal
    rows = []
    for campaign in related_campaigns(principal).order_by(Campaign.deadline):
        if not campaign_visible(principal, campaign):
            continue
        decorate(campaign)
        rows.append(
            {
                "campaign": campaign,
                "mine": my_submissions(principal, campaign),
                "reviewer": bool(principal.scopes("submission.review")),
            }
        )
    return render_template("forms/campaigns.html", rows=rows)


def _table_names(definition):
    return [f["name"] for f in iter_fields(definition) if f["type"] == "table"]


def _drop_removed_rows(formdata, definition):
    """Rows whose "remove" box is ticked disappear before anything is checked or saved."""
    from werkzeug.datastructures import MultiDict

    removed = {key[: -len("-__remove")] for key in formdata if key.endswith("-__remove")}
    if not removed:
        return formdata, False
    kept = MultiDict()
    renumber = {}
    for table in _table_names(definition):
        prefix = f"{table}-"
        indexes = sorted(
            {
                int(k[len(prefix) :].split("-")[0])
                for k in formdata
                if k.startswith(prefix) and k[len(prefix) :].split("-")[0].isdigit()
            }
        )
        position = 0
        for index in indexes:
            if f"{table}-{index}" in removed:
                continue
            renumber[f"{table}-{index}-"] = f"{table}-{position}-"
            position += 1
    for key, value in formdata.items(multi=True):
        if key.endswith("-__remove"):
            continue
        for old, new in renumber.items():
            if key.startswith(old):
                key = new + key[len(old) :]
                break
        else:
            if any(key.startswith(f"{t}-") for t in _table_names(definition)):
                continue  # a removed row
        kept.add(key, value)
    return kept, True


@bp.route("/campaigns/<int:campaign_id>/fill/<int:subject_id>", methods=["GET", "POST"])
@login_required
def fill(campaign_id, subject_id):
    campaign = decorate(campaign_for(campaign_id))
    org, staff = subject(campaign, subject_id)
    if not may_fill(org, staff):
        raise ApiError(403)
    definition = campaign.form.definition
    submission = workflow.find(campaign, org, staff)
    options = {
        f["name"]: staff_options(org) for f in _all_fields(definition) if f["type"] == "staff"
    }
    errors, notice, warnings_pending = {}, None, False
    if request.method == "POST":
        formdata, rows_removed = _drop_removed_rows(request.form, definition)
        extra = {t: 1 for t in _table_names(definition) if f"add__{t}" in request.form}
        form = make_form(definition, formdata=formdata, options=options, extra_rows=extra)
        action = request.form.get("action")
        if extra or (rows_removed and action is None):
            return _render_fill(campaign, org, staff, submission, form, {}, None, False)
        values, errors = html_validate(form, definition, full=False, refs=checker(org))
        if not errors:
            version = request.form.get("version", type=int)
            try:
                submission, _, _ = workflow.save_draft(
                    campaign,
                    org,
                    staff,
                    values,
                    expected_version=version,
                    user=g.principal.user,
                    refs=checker(org),
                )
                notice = "Черновик сохранён."
                if action == "submit":
                    workflow.submit(
                        submission, expected_version=None, user=g.principal.user, refs=checker(org)
                    )
                    notice = "Анкета отправлена на проверку."
            except workflow.WorkflowError as refused:
                errors = dict(refused.fields)
                errors.setdefault("_form", []).append(refused.message)
                warnings_pending = refused.code == "confirmation_required"
            submission = workflow.find(campaign, org, staff)
        if not errors:
            form = make_form(definition, data=submission.data, options=options)
    else:
        form = make_form(definition, data=submission.data if submission else None, options=options)
    return _render_fill(campaign, org, staff, submission, form, errors, notice, warnings_pending)


def _all_fields(definition):
    for field in iter_fields(definition):
        yield field
        yield from field.get("columns") or []


def _render_fill(campaign, org, staff, submission, form, errors, notice, warnings_pending):
    status = 422 if errors else 200
    return (
        render_template(
            "forms/fill.html",
            campaign=campaign,
            org=org,
            staff=staff,
            submission=submission,
            form=form,
            definition=campaign.form.definition,
            errors=errors,
            notice=notice,
            warnings_pending=warnings_pending,
            fields=field_map(campaign.form.definition),
            editable=submission is None or submission.state in ("draft", "returned"),
        ),
        status,
    )


@bp.route("/campaigns/<int:campaign_id>/review/<int:subject_id>", methods=["GET", "POST"])
@login_required
def review_one(campaign_id, subject_id):
    campaign = decorate(campaign_for(campaign_id))
    org, staff = subject(campaign, subject_id)
    if not may_review(org):
        raise ApiError(403)
    submission = workflow.find(campaign, org, staff)
    if submission is None:
        raise ApiError(404, "Анкета ещё не заполнялась.")
    errors, notice = {}, None
    if request.method == "POST":
        action = request.form.get("action")
        user = g.principal.user
        try:
            if action == "accept":
                workflow.accept(submission, user=user)
                notice = "Анкета принята."
            elif action == "return":
                comments = {
                    key[len("comment__") :]: value.strip()
                    for key, value in request.form.items()
                    if key.startswith("comment__") and value.strip()
                }
                workflow.return_for_revision(
                    submission,
                    reason=request.form.get("reason", ""),
                    field_comments=comments,
                    user=user,
                )
                notice = "Анкета возвращена на доработку."
            elif action == "reopen":
                workflow.reopen(submission, reason=request.form.get("reason", ""), user=user)
                notice = "Анкета снова открыта."
            else:
                raise ApiError(400)
        except workflow.WorkflowError as refused:
            errors = {"_form": [refused.message], **refused.fields}
    events = list(submission.events.order_by(SubmissionEvent.id))
    return (
        render_template(
            "forms/review_one.html",
            campaign=campaign,
            org=org,
            staff=staff,
            submission=submission,
            definition=campaign.form.definition,
            events=events,
            errors=errors,
            notice=notice,
        ),
        422 if errors else 200,
    )


@bp.route("/review")
@login_required
def review_overview():
    """Campaigns with submissions waiting for the reviewer's decision."""
    if not dashboard.may_review_any(g.principal):
        raise ApiError(403)
    rows = dashboard.awaiting_review(g.principal)
    return render_template("forms/review_overview.html", rows=rows)


# The other pages' routes join bp when the blueprint is first imported (register_pages).
from forms.pages import (  # noqa: E402, F401
    audit_pages,
    campaign_change,
    campaign_create,
    catalogue,
    progress_pages,
    review,
)
