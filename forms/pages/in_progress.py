"""The home card «Кампании в работе» of a methodist or the regional operator: each open
campaign they review with its completeness, and who has not submitted — the schools by
name under a municipality, the municipalities with their count under a region or hub.
The same figures as the progress page (``forms.progress.compute``)."""

from core import clock
from forms import progress
from forms.api.campaigns import decorate
from forms.models import Campaign
from forms.pages.dashboard import may_review_any
from forms.visibility import campaign_visible, related_campaigns

SHOWN = 5
MAX_CAMPAIGNS = 8


def _open(campaign) -> bool:
    day = clock.today(campaign.scope)
    return campaign.closed_at is None and campaign.opens_on <= day


def in_progress(principal) -> list[dict]:
    if not may_review_any(principal):
        return []
    found = []
    query = related_campaigns(principal).where(Campaign.closed_at.is_null())
    for campaign in query.order_by(Campaign.deadline, Campaign.id):
        if not (_open(campaign) and campaign_visible(principal, campaign)):
            continue
        scope = progress.default_scope(principal, campaign)
        if scope is None:
            continue
        figures = progress.compute(campaign, scope, missing_limit=SHOWN)
        lagging = [unit for unit in figures["children"] if unit["submitted"] < unit["total"]]
        found.append(
            {
                "campaign": decorate(campaign),
                "scope": scope,
                "figures": figures,
                "missing": figures["total"] - figures["submitted"],
                "by_unit": scope.kind in ("region", "hub"),
                "lagging": lagging,
            }
        )
        if len(found) == MAX_CAMPAIGNS:
            break
    return found
