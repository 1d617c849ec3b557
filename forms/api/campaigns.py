"""Campaigns: /api/v1/campaigns, their progress and webhooks of events."""

from core import clock
from core.access import ROOT
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.api.pagination import page_of
from core.db import first_cached
from core.models import Organization, StaffMember
from forms import audience, campaigns, periods, progress, store, workflow
from forms.models import Campaign, FormDefinition, Submission
from forms.schemas import (
    CampaignChangeSchema,
    CampaignQuery,
    CampaignSchema,
    ProgressQuery,
    ProgressSchema,
)
from forms.visibility import (
    campaign_visible,
    related_campaigns,
)

blp = Blueprint("campaigns", __name__, url_prefix="/api/v1/campaigns", description="Кампании")


def decorate(campaign):
    """Derived fields of a campaign for output."""
    campaign.form_code = campaign.form.code
    campaign.form_version = campaign.form.version
    campaign.level = campaign.form.level
    campaign.plugin = campaign.form.plugin
    campaign.period = periods.code(campaign.period_kind, campaign.period_start)
    campaign.period_label = periods.label(campaign.period_kind, campaign.period_start)
    campaign.reference_year = periods.reference_year(campaign.period_start)
    campaign.time_zone = clock.zone_name(campaign.scope)
    campaign.deadline_ends_at = clock.deadline_end(campaign)
    return campaign


def campaign_for(campaign_id) -> Campaign:
    # Form and scope ride along: every caller reads both (one query, not three).
    query = (
        Campaign.select(Campaign, FormDefinition, Organization)
        .join_from(Campaign, FormDefinition)
        .join_from(Campaign, Organization, on=(Campaign.scope == Organization.id))
        .where(Campaign.id == campaign_id)
    )
    campaign = first_cached("forms.campaign_for", query, (campaign_id,))
    if campaign is None or not campaign_visible(current(), campaign):
        raise ApiError(404)
    return campaign


def my_submissions(principal, campaign):
    """For a school coordinator or teacher: their subjects in this campaign and states."""
    mine = []
    fill_paths = principal.scopes("submission.fill") + principal.scopes("campaign.manage")
    if campaign.form.level == "organization":
        for path in dict.fromkeys(fill_paths):
            if path == ROOT:  # an installation-wide grant names no organisation to fill for
                continue
            org = Organization.get_by_id(int(path.strip("/").split("/")[-1]))
            if audience.includes(campaign, org):
                sub = Submission.get_or_none(
                    Submission.campaign == campaign,
                    Submission.subject_key == f"o{org.id}",
                    Submission.deleted_at.is_null(),
                )
                mine.append(
                    {
                        "subject_id": org.id,
                        "name": org.name,
                        "state": sub.state if sub else None,
                    }
                )
    else:
        for staff_id in principal.staff_ids:
            member = StaffMember.get_or_none(StaffMember.id == staff_id)
            if member is None or not (
                audience.includes(campaign, member.organization)
                and audience.includes_staff(campaign, member)
            ):
                continue
            sub = Submission.get_or_none(
                Submission.campaign == campaign,
                Submission.subject_key == f"s{staff_id}",
                Submission.deleted_at.is_null(),
            )
            mine.append({"subject_id": staff_id, "state": sub.state if sub else None})
    return mine


@blp.route("")
@blp.arguments(CampaignQuery, location="query")
@blp.response(200, page_of(CampaignSchema))
def list_campaigns(args):
    """Campaigns the caller takes part in or reviews (``mine=true``: only where they fill)."""
    principal = current()
    query = related_campaigns(principal).order_by(Campaign.deadline.desc(), Campaign.id.desc())
    if "form_code" in args:
        query = query.where(Campaign.form.in_(store.versions_of(args["form_code"])))
    items = []
    for campaign in query:
        if not campaign_visible(principal, campaign):
            continue
        decorate(campaign)
        campaign.my_submissions = my_submissions(principal, campaign)
        if args["mine"] and not campaign.my_submissions:
            continue
        items.append(campaign)
    page, per_page = args["page"], args["per_page"]
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "total": len(items),
        "page": page,
        "per_page": per_page,
    }


@blp.route("", methods=["POST"])
@blp.arguments(CampaignSchema)
@blp.response(201, CampaignSchema)
def create_campaign(body):
    principal = current()
    try:
        campaign = campaigns.open_for(principal, body)
    except workflow.WorkflowError as error:
        # The same answers as before the rule moved to the domain: no message of its own.
        raise ApiError(error.status, fields=None if error.status == 403 else error.fields) from None
    campaign.my_submissions = []
    return decorate(campaign)


@blp.route("/<int:campaign_id>")
@blp.response(200, CampaignSchema)
def get_campaign(campaign_id):
    principal = current()
    campaign = decorate(campaign_for(campaign_id))
    campaign.my_submissions = my_submissions(principal, campaign)
    return campaign


@blp.route("/<int:campaign_id>", methods=["PATCH"])
@blp.arguments(CampaignChangeSchema)
@blp.response(200, CampaignSchema)
def change_campaign(body, campaign_id):
    """Title, description, deadline (extend or shorten), late acceptance, close now; each
    change audited with its reason. A deadline before today needs ``confirm: true``."""
    principal = current()
    campaign = campaign_for(campaign_id)
    scoping.require("campaign.manage", campaign.scope.path)
    try:
        campaigns.change(campaign, user=principal.user, **body)
    except workflow.WorkflowError as error:
        raise ApiError(error.status, error.message, code=error.code, fields=error.fields) from None
    campaign.my_submissions = my_submissions(principal, campaign)
    return decorate(campaign)


@blp.route("/<int:campaign_id>/progress")
@blp.arguments(ProgressQuery, location="query")
@blp.response(200, ProgressSchema)
def campaign_progress(args, campaign_id):
    """Counts by state, who has not submitted, on time vs late, rolled up by child unit."""
    principal = current()
    campaign = campaign_for(campaign_id)
    if "scope" in args:
        scope = scoping.organization(args["scope"], "submission.review")
    else:
        scope = progress.default_scope(principal, campaign)
        if scope is None:
            raise ApiError(403)
    if not (
        scope.path.startswith(campaign.scope.path) or campaign.scope.path.startswith(scope.path)
    ):
        raise ApiError(422, fields={"scope": ["Организация вне области кампании."]})
    if campaign.scope.path.startswith(scope.path):
        scope = campaign.scope
    return progress.compute(campaign, scope)
