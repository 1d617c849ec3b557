"""«Ход сбора»: a campaign's progress with drill-down region → hub → municipality →
organisation in natural order (№ 2 before № 10), and who has not submitted, grouped by
municipality with their coordinators' contacts (``forms.progress.compute``, as the API)."""

from flask import g, render_template, request

from core.api.errors import ApiError
from core.models import Organization, RoleGrant, User
from core.web.session import login_required
from exports.names import natural_key
from forms import progress
from forms.api.campaigns import campaign_for, decorate
from forms.pages.views import bp


def _scope(campaign):
    """The unit asked for (``?scope=``) if the reviewer may see it, else their default."""
    principal = g.principal
    wanted = request.args.get("scope", type=int)
    if wanted:
        scope = Organization.get_or_none(Organization.id == wanted)
        if scope is None or not principal.can("submission.review", scope.path):
            raise ApiError(404)
        if not scope.path.startswith(campaign.scope.path):
            return campaign.scope if campaign.scope.path.startswith(scope.path) else None
        return scope
    return progress.default_scope(principal, campaign)


def _trail(campaign, scope):
    """The units from the campaign's scope (or the reviewer's top) down to ``scope``."""
    ids = [int(p) for p in scope.path.strip("/").split("/")]
    rows = {o.id: o for o in Organization.select().where(Organization.id.in_(ids))}
    return [
        rows[i]
        for i in ids
        if rows[i].path.startswith(campaign.scope.path)
        and g.principal.can("submission.review", rows[i].path)
    ]


def missing_by_municipality(missing) -> list[dict]:
    """[{"municipality", "rows": [{..., "coordinators": [User]}]}] in natural order
    (three queries whatever the number of organisations)."""
    org_ids = {m["organization_id"] for m in missing}
    orgs = {
        o.id: o
        for o in Organization.select(Organization.id, Organization.path).where(
            Organization.id.in_(list(org_ids))
        )
    }
    ancestors = {int(p) for o in orgs.values() for p in o.path.strip("/").split("/")}
    municipalities = {
        o.id: o.name
        for o in Organization.select(Organization.id, Organization.name).where(
            Organization.id.in_(list(ancestors)), Organization.kind == "municipality"
        )
    }
    coordinators = {}
    grants = (
        RoleGrant.select(RoleGrant.scope, User)
        .join(User)
        .where(
            RoleGrant.role == "school_coordinator",
            RoleGrant.scope.in_(list(org_ids)),
            User.active == True,  # noqa: E712
        )
    )
    for grant in grants:
        coordinators.setdefault(grant.scope_id, []).append(grant.user)
    groups = {}
    for row in missing:
        org = orgs[row["organization_id"]]
        muni = next(
            (municipalities[int(p)] for p in org.path.strip("/").split("/")
             if int(p) in municipalities),
            "Без муниципалитета",
        )  # fmt: skip
        entry = {**row, "coordinators": coordinators.get(org.id, [])}
        groups.setdefault(muni, []).append(entry)
    return [
        {"municipality": name, "rows": sorted(rows, key=lambda r: natural_key(r["name"]))}
        for name, rows in sorted(groups.items(), key=lambda item: natural_key(item[0]))
    ]


@bp.route("/campaigns/<int:campaign_id>/progress")
@login_required
def progress_page(campaign_id):
    campaign = decorate(campaign_for(campaign_id))
    scope = _scope(campaign)
    if scope is None:
        raise ApiError(403)
    result = progress.compute(campaign, scope)
    result["children"].sort(key=lambda row: natural_key(row["name"]))
    kinds = {
        o.id: o.kind
        for o in Organization.select(Organization.id, Organization.kind).where(
            Organization.id.in_([c["organization_id"] for c in result["children"]])
        )
    }
    return render_template(
        "forms/progress.html",
        campaign=campaign,
        progress=result,
        scope=scope,
        trail=_trail(campaign, scope),
        kinds=kinds,
        missing=missing_by_municipality(result["missing"]),
    )
