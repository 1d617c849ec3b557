"""Outgoing webhooks: submission events POSTed to a region's endpoint, with retries.

Events are written to an outbox (``webhook_delivery``) in the same
transaction as the change, so none is lost; ``metodnet webhooks deliver``
sends due ones, signing each body with HMAC-SHA256 of the webhook's secret,
and retries failures with exponential back-off.
"""

import datetime as dt
import hashlib
import hmac
import json

from core.models import Organization, utcnow
from forms import webhook_targets
from forms.models import Webhook, WebhookDelivery

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10


def enqueue(submission, action, from_state, to_state) -> int:
    """Queue the event for every active webhook whose subtree holds the organisation."""
    org = submission.organization
    ancestors = org.ancestor_ids()
    hooks = Webhook.select().where(Webhook.active == True, Webhook.organization.in_(ancestors))  # noqa: E712
    event = {
        "event": f"submission.{action}",
        "submission_id": submission.id,
        "campaign_id": submission.campaign_id,
        "organization_id": submission.organization_id,
        "staff_id": submission.staff_id,
        "from_state": from_state,
        "to_state": to_state,
        "version": submission.version,
        "at": utcnow().isoformat(timespec="seconds") + "Z",
    }
    count = 0
    for hook in hooks:
        WebhookDelivery.create(webhook=hook, event=event)
        count += 1
    return count


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _post(url, body, headers):
    # Resolved, checked and connected to the checked address (see forms/webhook_targets).
    return webhook_targets.post(url, body, headers, TIMEOUT_SECONDS)


def deliver_due(now=None, post=None) -> dict:
    """Try every due delivery once; returns counts of delivered / failed / given up."""
    now = now or utcnow()
    post = post or _post
    counts = {"delivered": 0, "failed": 0, "gave_up": 0}
    due = (
        WebhookDelivery.select()
        .where(
            WebhookDelivery.delivered_at.is_null(),
            WebhookDelivery.attempts < MAX_ATTEMPTS,
            WebhookDelivery.next_attempt_at <= now,
        )
        .order_by(WebhookDelivery.id)
    )
    for delivery in due:
        hook = delivery.webhook
        body = json.dumps(delivery.event, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Metodnet-Signature": signature(hook.secret, body),
            "X-Metodnet-Delivery": str(delivery.id),
        }
        delivery.attempts += 1
        try:
            status = post(hook.url, body, headers)
            if not 200 <= status < 300:
                raise OSError(f"HTTP {status}")
        except Exception as error:  # network errors come in many classes
            reason = error if isinstance(error, webhook_targets.TargetRefused) else None
            delivery.last_error = str(reason or f"{error.__class__.__name__}: {error}")[:2000]
            delivery.next_attempt_at = now + dt.timedelta(seconds=30 * 2 ** (delivery.attempts - 1))
            counts["gave_up" if delivery.attempts >= MAX_ATTEMPTS else "failed"] += 1
        else:
            delivery.delivered_at = now
            delivery.last_error = ""
            counts["delivered"] += 1
        delivery.save()
    return counts


def hooks_for(scopes) -> list[Webhook]:
    from core.api.scoping import in_scopes

    return list(Webhook.select().join(Organization).where(in_scopes(Organization.path, scopes)))
