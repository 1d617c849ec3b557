"""Submissions and their review: /api/v1/campaigns/{id}/submissions/{org_or_staff_id}."""

from core.access import ROOT
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.api.pagination import page_of, paginate
from core.db import first_cached
from core.models import Organization, StaffMember
from core.models.organization import ACTIVATION_KINDS, in_subtree
from forms import audience, workflow
from forms.api.campaigns import campaign_for
from forms.idempotency import idempotent
from forms.models import Submission, SubmissionEvent
from forms.references import checker
from forms.schemas import (
    BulkResultSchema,
    BulkSchema,
    EventSchema,
    ReasonSchema,
    ReturnSchema,
    SaveSchema,
    SubmissionQuery,
    SubmissionSchema,
    SubmitSchema,
)

blp = Blueprint(
    "submissions", __name__, url_prefix="/api/v1/campaigns", description="Анкеты и их проверка"
)
ONE = "/<int:campaign_id>/submissions/<int:subject_id>"


def subject(campaign, subject_id):
    """(organisation, staff or None) for the URL's id, if the caller may see it."""
    principal = current()
    staff = None
    if campaign.form.level == "staff":
        staff = StaffMember.get_or_none(StaffMember.id == subject_id)
        org = staff.organization if staff else None
    else:
        query = Organization.select().where(Organization.id == subject_id)
        org = first_cached("forms.subject", query, (subject_id,))
    if org is None:
        raise ApiError(404)
    own = staff is not None and staff.id in principal.staff_ids
    if not own and not principal.sees(org.path):
        raise ApiError(404)
    if not audience.includes(campaign, org):
        raise ApiError(404, "Эта организация не входит в аудиторию кампании.")
    if staff is not None and not audience.includes_staff(campaign, staff):
        raise ApiError(404, "Этот работник не входит в аудиторию кампании.")
    return org, staff


def may_fill(org, staff) -> bool:
    """School coordinators fill for their schools, teachers their own staff-level forms,
    and methodists the forms addressed to their municipality (or hub, region) itself."""
    principal = current()
    if staff is not None and staff.id in principal.staff_ids:
        return True
    if staff is None and org.kind in ACTIVATION_KINDS:
        return principal.can("campaign.manage", org.path)
    return principal.can("submission.fill", org.path)


def may_review(org) -> bool:
    return current().can("submission.review", org.path)


def _refused(error: workflow.WorkflowError):
    return ApiError(error.status, error.message, code=error.code, fields=error.fields)


def _existing(campaign, org, staff, *, include_deleted=False):
    submission = workflow.find(campaign, org, staff, include_deleted=include_deleted)
    if submission is None:
        raise ApiError(404, "Анкета ещё не заполнялась.")
    return submission


def reviewable(campaign_id, *, in_trash=False):
    """(campaign, query of its submissions in the caller's review scopes)."""
    campaign = campaign_for(campaign_id)
    scopes = current().scopes("submission.review")
    if not scopes:
        raise ApiError(403)
    query = (
        Submission.select(Submission, Organization)  # organisations ride along: no N+1
        .join(Organization)
        .where(Submission.campaign == campaign, Submission.deleted_at.is_null(not in_trash))
    )
    if ROOT not in scopes:
        query = query.where(scoping.in_scopes(Organization.path, scopes))
    return campaign, query


@blp.route("/<int:campaign_id>/submissions")
@blp.arguments(SubmissionQuery, location="query")
@blp.response(200, page_of(SubmissionSchema))
def review_queue(args, campaign_id):
    """The campaign's submissions in the reviewer's scope (``state=submitted``: the queue)."""
    _, query = reviewable(campaign_id)
    if "scope" in args:
        query = query.where(in_subtree(Organization.path, scoping.organization(args["scope"]).path))
    if "state" in args:
        query = query.where(Submission.state == args["state"])
    return paginate(query.order_by(Submission.submitted_at, Submission.id), args)


@blp.route(ONE)
@blp.response(200, SubmissionSchema)
def get_submission(campaign_id, subject_id):
    campaign = campaign_for(campaign_id)
    org, staff = subject(campaign, subject_id)
    if not (may_fill(org, staff) or may_review(org)):
        raise ApiError(403)
    return _existing(campaign, org, staff)


@blp.route(ONE, methods=["PUT"])
@idempotent
@blp.arguments(SaveSchema)
@blp.response(200, SubmissionSchema)
@blp.alt_response(201, schema=SubmissionSchema, description="A new draft was created")
def save_draft(body, campaign_id, subject_id):
    """Save the draft: types and formats are checked, missing required fields are not.

    ``version`` is the version the client edited (omit or 0 for a new one);
    an older version answers 409 and overwrites nothing.
    """
    campaign = campaign_for(campaign_id)
    org, staff = subject(campaign, subject_id)
    if not may_fill(org, staff):
        raise ApiError(403)
    try:
        submission, action, _ = workflow.save_draft(
            campaign,
            org,
            staff,
            body["data"],
            expected_version=body["version"],
            user=current().user,
            refs=checker(org),
        )
    except workflow.WorkflowError as error:
        raise _refused(error) from None
    return submission, 201 if action == "create" else 200


def _act(campaign_id, subject_id, *, review, perform):
    campaign = campaign_for(campaign_id)
    org, staff = subject(campaign, subject_id)
    if not (may_review(org) if review else may_fill(org, staff)):
        raise ApiError(403)
    submission = _existing(campaign, org, staff)
    try:
        perform(submission)
    except workflow.WorkflowError as error:
        raise _refused(error) from None
    return submission


@blp.route(f"{ONE}/submit", methods=["POST"])
@idempotent
@blp.arguments(SubmitSchema)
@blp.response(200, SubmissionSchema)
def submit(body, campaign_id, subject_id):
    """Submit for review: every rule is checked; blocks' warnings need confirm_warnings."""
    user = current().user
    return _act(
        campaign_id,
        subject_id,
        review=False,
        perform=lambda s: workflow.submit(
            s,
            expected_version=body["version"],
            user=user,
            refs=checker(s.organization),
            confirm_warnings=body["confirm_warnings"],
        ),
    )


@blp.route(f"{ONE}/return", methods=["POST"])
@blp.arguments(ReturnSchema)
@blp.response(200, SubmissionSchema)
def return_submission(body, campaign_id, subject_id):
    """Return for revision with a reason and comments per field."""
    user = current().user
    return _act(
        campaign_id,
        subject_id,
        review=True,
        perform=lambda s: workflow.return_for_revision(
            s, reason=body["reason"], field_comments=body["field_comments"], user=user
        ),
    )


@blp.route(f"{ONE}/accept", methods=["POST"])
@blp.response(200, SubmissionSchema)
def accept(campaign_id, subject_id):
    user = current().user
    return _act(
        campaign_id, subject_id, review=True, perform=lambda s: workflow.accept(s, user=user)
    )


@blp.route(f"{ONE}/reopen", methods=["POST"])
@blp.arguments(ReasonSchema)
@blp.response(200, SubmissionSchema)
def reopen(body, campaign_id, subject_id):
    """Open an accepted submission again (logged in the audit log)."""
    user = current().user
    return _act(
        campaign_id,
        subject_id,
        review=True,
        perform=lambda s: workflow.reopen(s, reason=body["reason"], user=user),
    )


@blp.route(f"{ONE}/history")
@blp.response(200, EventSchema(many=True))
def history(campaign_id, subject_id):
    """Every save and transition: who, when, state, changed fields before → after."""
    campaign = campaign_for(campaign_id)
    org, staff = subject(campaign, subject_id)
    if not (may_fill(org, staff) or may_review(org)):
        raise ApiError(403)
    submission = _existing(campaign, org, staff, include_deleted=may_review(org))
    return list(submission.events.order_by(SubmissionEvent.id))


@blp.route(ONE, methods=["DELETE"])
@blp.response(204)
def delete_submission(campaign_id, subject_id):
    """Move a draft to the trash (an administrator may trash any submission)."""
    principal = current()
    campaign = campaign_for(campaign_id)
    org, staff = subject(campaign, subject_id)
    administrator = "admin" in principal.roles and principal.can("submission.fill", org.path)
    if not (may_fill(org, staff) or administrator):
        raise ApiError(403)
    submission = _existing(campaign, org, staff)
    try:
        workflow.delete(submission, user=principal.user, administrator=administrator)
    except workflow.WorkflowError as error:
        raise _refused(error) from None


@blp.route(f"{ONE}/restore", methods=["POST"])
@blp.response(200, SubmissionSchema)
def restore_submission(campaign_id, subject_id):
    """Bring a submission back from the trash (reviewers and administrators)."""
    campaign = campaign_for(campaign_id)
    org, staff = subject(campaign, subject_id)
    if not may_review(org):
        raise ApiError(403)
    submission = _existing(campaign, org, staff, include_deleted=True)
    if submission.deleted_at is None:
        raise ApiError(409, "Анкета не в корзине.", code="not_in_trash")
    workflow.restore(submission, user=current().user)
    return submission


@blp.route("/<int:campaign_id>/trash")
@blp.arguments(SubmissionQuery, location="query")
@blp.response(200, page_of(SubmissionSchema))
def trash(args, campaign_id):
    """Submissions moved to the trash, newest first (reviewers restore them)."""
    _, query = reviewable(campaign_id, in_trash=True)
    return paginate(query.order_by(Submission.deleted_at.desc()), args)


def _bulk(campaign_id, body, change):
    campaign, query = reviewable(campaign_id)
    if body["all_submitted"]:
        query = query.where(Submission.state == "submitted")
        if body["scope_id"] is not None:
            scope = scoping.organization(body["scope_id"], "submission.review")
            query = query.where(in_subtree(Organization.path, scope.path))
        targets = list(query)
    else:
        wanted = {
            f"s{i}" if campaign.form.level == "staff" else f"o{i}" for i in body["subject_ids"]
        }
        targets = list(query.where(Submission.subject_key.in_(list(wanted))))
        found = {s.subject_key for s in targets}
        missing = sorted(wanted - found)
    outcome = change(targets)
    done = [int(s.subject_key[1:]) for s in outcome["done"]]
    refused = {s.subject_key[1:]: message for s, message in outcome["refused"].items()}
    if not body["all_submitted"]:
        for key in missing:
            refused[key[1:]] = "Анкета не найдена."
    return {"done": done, "refused": refused}


@blp.route("/<int:campaign_id>/bulk-accept", methods=["POST"])
@blp.arguments(BulkSchema)
@blp.response(200, BulkResultSchema)
def bulk_accept(body, campaign_id):
    """Accept a selection (``subject_ids``) or every submitted one (``all_submitted``)."""
    user = current().user
    return _bulk(campaign_id, body, lambda targets: workflow.accept_each(targets, user=user))


@blp.route("/<int:campaign_id>/bulk-return", methods=["POST"])
@blp.arguments(BulkSchema)
@blp.response(200, BulkResultSchema)
def bulk_return(body, campaign_id):
    """Return a selection or every submitted one, with one reason for all."""
    user = current().user
    if not body["reason"].strip():
        raise ApiError(422, fields={"reason": ["Укажите причину возврата."]})
    return _bulk(
        campaign_id,
        body,
        lambda targets: workflow.return_each(targets, reason=body["reason"], user=user),
    )
