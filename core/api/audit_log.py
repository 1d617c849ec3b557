"""GET /api/v1/audit-log: the append-only log, for administrators and regional operators."""

from core import personal_data
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.api.pagination import page_of, paginate
from core.models import AuditEntry
from core.schemas.misc import AuditEntrySchema, AuditQuerySchema

blp = Blueprint("audit_log", __name__, url_prefix="/api/v1", description="Журнал действий")


def readable_scopes() -> list[str]:
    """The subtrees whose entries the caller may read (403 when none)."""
    scopes = current().scopes("audit.read")
    if not scopes:
        raise ApiError(403)
    return scopes


def entries(scopes, args):
    """The log's entries under ``scopes`` matching the filters of ``args``, newest first:
    the API's query and the page's form (``staff``: everything about one staff record's
    personal data — reads, changes, exports, erasure)."""
    query = AuditEntry.select().where(scoping.in_scopes(AuditEntry.scope_path, scopes))
    for key in ("action", "object_type", "object_id"):
        if key in args:
            query = query.where(getattr(AuditEntry, key) == args[key])
    if "staff" in args:
        query = query.where(personal_data.accesses(args["staff"]))
    if "user" in args:
        query = query.where(AuditEntry.user == args["user"])
    if "since" in args:
        query = query.where(AuditEntry.at >= args["since"].replace(tzinfo=None))
    if "until" in args:
        query = query.where(AuditEntry.at < args["until"].replace(tzinfo=None))
    return query.order_by(AuditEntry.id.desc())


@blp.route("/audit-log")
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, page_of(AuditEntrySchema))
def list_entries(args):
    return paginate(entries(readable_scopes(), args), args)
