"""Outgoing webhooks of a region: /api/v1/webhooks."""

from core import audit
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.db import database
from forms import webhook_targets
from forms.models import Webhook
from forms.schemas import WebhookSchema
from forms.webhooks import hooks_for

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks", description="Вебхуки")


@blp.route("")
@blp.response(200, WebhookSchema(many=True))
def list_webhooks():
    scopes = current().scopes("webhook.manage")
    if not scopes:
        raise ApiError(403)
    return hooks_for(scopes)


@blp.route("", methods=["POST"])
@blp.arguments(WebhookSchema)
@blp.response(201, WebhookSchema)
def create_webhook(body):
    """Submission events under the organisation are POSTed to ``url``, signed with ``secret``."""
    principal = current()
    org = scoping.organization(body["organization_id"], "webhook.manage")
    try:
        webhook_targets.check_registration(body["url"])
    except webhook_targets.TargetRefused as refused:
        raise ApiError(422, fields={"url": [str(refused)]}) from None
    with database.atomic():
        hook = Webhook.create(
            organization=org, url=body["url"], secret=body["secret"], active=body["active"]
        )
        audit.record(
            "create",
            user=principal.user,
            object_type="webhook",
            object_id=hook.id,
            scope_path=org.path,
            after={"url": hook.url},
        )
    return hook


@blp.route("/<int:webhook_id>", methods=["DELETE"])
@blp.response(204)
def delete_webhook(webhook_id):
    principal = current()
    hook = Webhook.get_or_none(Webhook.id == webhook_id)
    if hook is None or not principal.sees(hook.organization.path):
        raise ApiError(404)
    scoping.require("webhook.manage", hook.organization.path)
    with database.atomic():
        audit.record(
            "delete",
            user=principal.user,
            object_type="webhook",
            object_id=hook.id,
            scope_path=hook.organization.path,
            before={"url": hook.url},
        )
        hook.delete_instance()
