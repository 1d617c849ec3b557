"""«Изменить кампанию»: the page form over ``forms.campaigns.change`` (the PATCH's domain
function: same rights, refusals and audit entry)."""

from flask import g, redirect, render_template, request, url_for
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import Optional

from core.api.errors import ApiError
from core.web.forms import PageForm
from core.web.session import login_required
from forms import campaigns, workflow
from forms.api.campaigns import campaign_for, decorate
from forms.pages.views import bp


class CampaignChangeForm(PageForm):
    title = StringField("Название")
    description = TextAreaField("Описание")
    deadline = DateField("Срок сдачи", validators=[Optional()])
    accepts_late = BooleanField("Принимать опоздавшие ответы")
    close = BooleanField("Закрыть сбор сейчас")
    confirm = BooleanField("Подтверждаю срок раньше сегодняшнего дня")
    reason = TextAreaField("Причина изменения")


@bp.route("/campaigns/<int:campaign_id>/change", methods=["GET", "POST"])
@login_required
def change_campaign(campaign_id):
    campaign = decorate(campaign_for(campaign_id))
    if not g.principal.can("campaign.manage", campaign.scope.path):
        raise ApiError(403)
    posted = request.method == "POST"
    form = CampaignChangeForm(request.form if posted else None, obj=campaign)
    if posted:
        if form.validate():
            wanted = {
                "title": form.title.data.strip() or campaign.title,
                "description": form.description.data,
                "deadline": form.deadline.data or campaign.deadline,
                "accepts_late": form.accepts_late.data,
            }
            try:
                campaigns.change(
                    campaign,
                    user=g.principal.user,
                    reason=form.reason.data,
                    close=form.close.data,
                    confirm=form.confirm.data,
                    **wanted,
                )
            except workflow.WorkflowError as error:
                for name, messages in error.fields.items():
                    target = getattr(form, name, None)
                    if target is not None:
                        target.errors = list(messages)
                    else:
                        form.form_errors.extend(messages)
            else:
                return redirect(url_for("pages.progress_page", campaign_id=campaign.id))
        page = render_template("forms/campaign_change.html", campaign=campaign, form=form)
        return page, 422
    return render_template("forms/campaign_change.html", campaign=campaign, form=form)
