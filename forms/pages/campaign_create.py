"""«Новая кампания» and «Копировать на следующий период»: the page form over
``forms.campaigns.open_for`` (the POST /api/v1/campaigns domain function: same rights,
refusals and audit entry), with the audience count before anything is stored."""

from flask import g, jsonify, redirect, render_template, request, url_for
from marshmallow import ValidationError

from core.api.errors import ApiError
from core.web.session import login_required
from forms import campaigns, workflow
from forms.api.campaigns import campaign_for
from forms.pages import campaign_form
from forms.pages.views import bp
from forms.schemas import CampaignSchema

# The API's field names → the page field that shows the error.
FIELD_OF = {"period": "year", "period_kind": "period_kind", "audience_staff": "under_age"}


def _may_open(principal):
    if not principal.scopes("campaign.manage"):
        raise ApiError(403)


def _show_errors(form, messages: dict):
    for name, problems in messages.items():
        if isinstance(problems, dict):  # nested (audience_staff): the inner field is ours
            _show_errors(form, problems)
            continue
        target = getattr(form, FIELD_OF.get(name, name), None)
        if target is not None and name != "_schema":
            target.errors = list(target.errors) + list(problems)
        else:
            form.form_errors.extend(problems)


def _render(form, reach=None, status=200, copied_from=None):
    page = render_template(
        "forms/campaign_new.html", form=form, reach=reach, copied_from=copied_from
    )
    return page, status


@bp.route("/campaigns/new", methods=["GET", "POST"])
@login_required
def new_campaign():
    principal = g.principal
    _may_open(principal)
    if request.method == "GET":
        return _render(campaign_form.build(principal))
    form = campaign_form.build(principal, request.form)
    if not form.validate():
        return _render(form, status=422)
    body = campaign_form.body_of(form)
    if request.form.get("action") == "count":
        return _render(form, reach=campaign_form.reach(principal, body))
    try:
        loaded = CampaignSchema().load(body)
        campaign = campaigns.open_for(principal, loaded)
    except ValidationError as error:
        if not body["period"]:  # the schema checks the period only once the fields pass
            error.messages.setdefault("period", ["Укажите год периода."])
        _show_errors(form, error.messages)
    except workflow.WorkflowError as error:
        _show_errors(form, error.fields or {"_schema": [error.message]})
    else:
        return redirect(url_for("pages.progress_page", campaign_id=campaign.id))
    return _render(form, reach=campaign_form.reach(principal, body), status=422)


@bp.route("/campaigns/new/audience")
@login_required
def audience_count():
    """The live count for the page's small script: the same reach as «Пересчитать»."""
    principal = g.principal
    _may_open(principal)
    form = campaign_form.build(principal, request.args, csrf=False)  # a read: no token
    form.validate()  # unparsable numbers and dates just count as not given
    reach = campaign_form.reach(principal, campaign_form.body_of(form))
    return jsonify(reach or {"organizations": None, "staff": None})


@bp.route("/campaigns/<int:campaign_id>/copy")
@login_required
def copy_campaign(campaign_id):
    """The create form filled from ``campaign`` for its next period; nothing is stored yet."""
    principal = g.principal
    campaign = campaign_for(campaign_id)
    if not principal.can("campaign.manage", campaign.scope.path):
        raise ApiError(403)
    form = campaign_form.build(principal, data=campaign_form.copy_data(campaign))
    body = campaign_form.body_of(form)
    return _render(form, reach=campaign_form.reach(principal, body), copied_from=campaign)
