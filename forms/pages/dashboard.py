"""What waits for a person in the form engine: forms to fill (open, not yet submitted, or
returned) and submissions waiting for review.  The home widgets, the menu and the review
page read these."""

from peewee import fn

from core import clock
from core.access import ROOT
from core.api.scoping import in_scopes
from core.models import Organization
from forms.api.campaigns import decorate, my_submissions
from forms.models import Campaign, Submission
from forms.visibility import campaign_visible, related_campaigns

OPEN_STATES = (None, "draft", "returned")


def may_fill_any(principal) -> bool:
    return bool(principal.scopes("submission.fill") or principal.staff_ids)


def may_review_any(principal) -> bool:
    return bool(principal.scopes("submission.review"))


def to_fill(principal, today=None) -> list[dict]:
    """{"campaign", "subject_id", "name", "state"} of the principal's own subjects: open
    campaigns not yet submitted, and anything returned for revision, by deadline."""
    due = []
    for campaign in related_campaigns(principal).order_by(Campaign.deadline, Campaign.id):
        if not campaign_visible(principal, campaign):
            continue
        day = today or clock.today(campaign.scope)  # the campaign's own zone
        is_open = (
            campaign.closed_at is None
            and campaign.opens_on <= day
            and (campaign.deadline >= day or campaign.accepts_late)
        )
        for mine in my_submissions(principal, campaign):
            if mine["state"] == "returned" or (is_open and mine["state"] in OPEN_STATES):
                due.append({"campaign": decorate(campaign), **mine})
    return due


def awaiting_review(principal) -> list[tuple]:
    """(campaign, number of submitted submissions in the principal's review scopes)."""
    scopes = principal.scopes("submission.review")
    if not scopes:
        return []
    query = (
        Submission.select(Submission.campaign, fn.COUNT(Submission.id))
        .join(Organization)
        .where(Submission.state == "submitted", Submission.deleted_at.is_null())
        .group_by(Submission.campaign)
    )
    if ROOT not in scopes:
        query = query.where(in_scopes(Organization.path, scopes))
    counts = dict(query.tuples())
    if not counts:
        return []
    campaigns = related_campaigns(principal).where(Campaign.id.in_(list(counts)))
    return [
        (decorate(campaign), counts[campaign.id])
        for campaign in campaigns.order_by(Campaign.deadline, Campaign.id)
        if campaign_visible(principal, campaign)
    ]
