"""The page «Целевые значения показателей»: per indicator of a region its declared default
and the region's targets per year; the regional operator sets a year or a trajectory
("2020=5 2021=15 …") and clears a year.

The page asks the API's rule (``exports.api_targets.region_for``) and changes through
``exports.targets`` (validation, audit); a refused value is shown next to its field (422)
and nothing is stored.
"""

from flask import Blueprint, g, redirect, render_template, request, url_for

from core import clock
from core.api.block_settings import overlaps
from core.api.errors import ApiError
from core.models import Organization
from core.web.forms import PageForm
from core.web.session import login_required
from exports import targets
from exports.api_targets import MANAGE, region_for

bp = Blueprint(
    "targets_pages", __name__, url_prefix="/indicator-targets", template_folder="../templates"
)
SAVED = "Целевые значения сохранены"
CLEARED = "Год {year}: возвращено значение по умолчанию"


def _regions(principal) -> list[Organization]:
    regions = Organization.select().where(Organization.kind == "region").order_by(Organization.name)
    return [region for region in regions if overlaps(principal, region)]


def menu_links(principal) -> list[dict]:
    """For whoever may change targets somewhere (the regional operator, the administrator)."""
    if not principal.scopes(MANAGE):
        return []
    return [{"href": url_for("targets_pages.index"), "label": "Целевые значения", "order": 85}]


@bp.route("")
@login_required
def index():
    """The regions the person works in; with only one, straight to it."""
    regions = _regions(g.principal)
    if len(regions) == 1:
        return redirect(url_for("targets_pages.region", region_id=regions[0].id))
    return render_template("exports/targets_index.html", regions=regions)


def _messages(fields: dict) -> list[str]:
    """Errors of the targets field, each naming its year."""
    found = []
    for name, messages in fields.items():
        year = name.partition(".")[2]
        found += [f"{year}: {m}" if year else m for m in messages]
    return found


def _change(region, form) -> tuple[str | None, dict, int]:
    """Apply the posted change: (notice, {indicator code: {field: messages}}, status)."""
    code, user = form.get("indicator", ""), g.principal.user
    reason = form.get("reason", "").strip()
    try:
        if form.get("action") == "clear":
            year = form.get("year", "")
            if not year.isdigit():
                raise ApiError(400)
            targets.clear(region, code, [int(year)], user=user, reason=reason)
            return CLEARED.format(year=year), {}, 200
        pairs = targets.parse_pairs(form.get("targets", ""))
        targets.set_targets(region, code, pairs, user=user, reason=reason)
        return SAVED, {}, 200
    except targets.UnknownIndicator:
        raise ApiError(404) from None
    except targets.TargetsRefused as error:
        return None, {code: {"targets": _messages(error.fields)}}, 422


@bp.route("/regions/<int:region_id>", methods=["GET", "POST"])
@login_required
def region(region_id):
    changing = request.method == "POST"
    org = region_for(region_id, change=changing)
    form = PageForm(request.form if changing else None)
    notice, errors, status = None, {}, 200
    if changing:
        if not form.validate():  # the session's CSRF token, checked again by the form
            raise ApiError(400)
        notice, errors, status = _change(org, request.form)
    year = clock.now().year
    return render_template(
        "exports/targets.html",
        region=org,
        year=year,
        items=targets.listing(org, year),
        changeable=g.principal.can(MANAGE, org.path),
        form=form,
        notice=notice,
        errors=errors,
        typed=request.form if status == 422 else {},
        sources=targets.SOURCE_TITLES,
    ), status
