"""Programme blocks on an organisation's card: which are on here and where that was set
(«включён на уровне региона», «отключён здесь»), and the switches of a region, hub or
municipality for whoever holds ``plugin.manage`` there.  A switch calls
``core.block_switch.switch``, as the API's PUT/DELETE /organizations/{id}/plugins/{name}."""

from flask import Blueprint, g, redirect, request, url_for

from core import activation, block_switch
from core.api import scoping
from core.api.errors import ApiError
from core.models.organization import KINDS
from core.plugin_access import registry
from core.web.forms import PageForm
from core.web.session import login_required

bp = Blueprint("organization_block_pages", __name__)

LEVEL = {  # «на уровне …» in the genitive
    "region": "региона",
    "hub": "межмуниципального центра",
    "municipality": "муниципалитета",
}


def _where(setting, org, chain) -> str:
    if setting.organization_id == org.id:
        return "здесь"
    source = next((a for a in chain if a.id == setting.organization_id), None)
    if source is None:
        return "выше"
    level = LEVEL.get(source.kind, KINDS.get(source.kind, "").lower())
    return f"на уровне {level} «{source.name}»"


def states(org, chain) -> list[dict]:
    """Per installed block: title, on, and the words saying where its state comes from."""
    settings = activation.settings_along(org)
    found = []
    for info in sorted(registry().plugins.values(), key=lambda i: i.title):
        setting = settings.get(info.name)
        on = bool(setting and setting.enabled)
        text = "не включён"
        if setting is not None:
            text = f"{'включён' if on else 'отключён'} {_where(setting, org, chain)}"
        here = setting is not None and setting.organization_id == org.id
        found.append({"name": info.name, "title": info.title, "on": on, "text": text, "here": here})
    return found


@bp.route("/organizations/<int:org_id>/blocks/<name>", methods=["POST"])
@login_required
def switch(org_id, name):
    org = scoping.organization(org_id, "plugin.manage")
    if not PageForm(request.form).validate():
        raise ApiError(400)
    enabled = request.form.get("enabled") == "1"
    try:
        block_switch.switch(org, name, enabled, g.principal.user)
    except LookupError as error:
        raise ApiError(404, str(error)) from None
    except block_switch.SwitchError as error:
        raise ApiError(422, error.message) from None
    return redirect(url_for("organization_pages.card", org_id=org.id, switched=name) + "#blocks")
