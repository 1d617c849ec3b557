"""What of the form engine a caller sees, by the scope rule and block activation."""

from core import activation
from core.access import ROOT
from core.models import Organization


def related(a: str, b: str) -> bool:
    """One path lies in the other's subtree."""
    return a.startswith(b) or b.startswith(a)


def plugin_reachable(principal, plugin) -> bool:
    """The block is on at one of the caller's scopes, or somewhere below one."""
    return activation.reachable(principal, plugin)


def form_visible(principal, form) -> bool:
    if form.scope_id is not None and not any(
        related(path, form.scope.path) for path in principal.scopes()
    ):
        return False
    return plugin_reachable(principal, form.plugin)


def campaign_visible(principal, campaign) -> bool:
    """Related by scope; below the campaign's scope, only where the block is on."""
    scope_path = campaign.scope.path
    plugin = campaign.form.plugin
    on = activation.current_map()
    for path in principal.scopes():
        if not related(path, scope_path):
            continue
        if plugin is None or scope_path.startswith(path):
            return True
        if on.is_on(path, plugin):
            return True
    return False


def related_campaigns(principal):
    """Campaigns whose scope contains or lies in one of the caller's subtrees (one query);
    campaign_visible() then applies block activation."""
    from core.api.scoping import in_scopes
    from forms.models import Campaign

    scopes = principal.scopes()
    query = Campaign.select(Campaign, Organization).join(
        Organization, on=(Campaign.scope == Organization.id)
    )
    if ROOT in scopes:
        return query
    above = {int(part) for path in scopes for part in path.strip("/").split("/")}
    return query.where(in_scopes(Organization.path, scopes) | Campaign.scope.in_(list(above)))
