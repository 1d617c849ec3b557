"""Forms and checklists: /api/v1/forms and /api/v1/checklists."""

from core.access import ROOT
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.models import Organization
from forms import custom_forms, store
from forms.definition import ChecklistDefinitionSchema, DefinitionSchema
from forms.models import FormDefinition
from forms.schemas import FormCreateQuery, FormDetailSchema, FormListSchema, FormVersionQuery
from forms.visibility import form_visible
from forms.workflow import WorkflowError

blp = Blueprint("forms", __name__, url_prefix="/api/v1", description="Формы и чек-листы")

KIND_OF_PATH = {"forms": "form", "checklists": "checklist"}


def _list(kind):
    principal = current()
    latest_ids = store.codes_latest()
    rows = (
        FormDefinition.select()
        .where(FormDefinition.id.in_(latest_ids), FormDefinition.kind == kind)
        .order_by(FormDefinition.code)
    )
    return {"items": [row for row in rows if form_visible(principal, row)]}


def _detail(kind, code, args):
    principal = current()
    row = store.get(code, args.get("version"))
    if row is None or row.kind != kind or not form_visible(principal, row):
        raise ApiError(404)
    row.versions = [
        v
        for (v,) in FormDefinition.select(FormDefinition.version)
        .where(FormDefinition.code == code)
        .order_by(FormDefinition.version)
        .tuples()
    ]
    return row


def _default_scope(scopes):
    """Where a form goes when the caller names no ``scope_id``: their own subtree; for an
    installation-wide grant (the administrator's "/") the only region, if there is one."""
    if ROOT not in scopes:
        return scoping.organization(int(scopes[0].strip("/").split("/")[-1]))
    regions = list(Organization.select().where(Organization.parent.is_null()).limit(2))
    if len(regions) != 1:
        raise ApiError(
            422, fields={"scope_id": ["Укажите организацию, к которой относится форма."]}
        )
    return regions[0]


def _create(kind, args, definition):
    """Create a custom form (or its next version) from JSON in the declaration format."""
    principal = current()
    scopes = principal.scopes("form.manage")
    if not scopes:
        raise ApiError(403)
    if "scope_id" in args:
        scope = scoping.organization(args["scope_id"], "form.manage")
    else:
        scope = _default_scope(scopes)
    try:
        row, created = custom_forms.add(principal, kind, definition, scope)
    except WorkflowError as error:
        raise ApiError(error.status, code=error.code, fields=error.fields) from None
    row.versions = [row.version]
    return row, 201 if created else 200


@blp.route("/forms")
@blp.response(200, FormListSchema)
def list_forms():
    """Latest version of every form the caller can use."""
    return _list("form")


@blp.route("/forms/<code>")
@blp.arguments(FormVersionQuery, location="query")
@blp.response(200, FormDetailSchema)
def get_form(args, code):
    """A form's definition (``?version=`` for an older one)."""
    return _detail("form", code, args)


@blp.route("/forms", methods=["POST"])
@blp.arguments(FormCreateQuery, location="query")
@blp.arguments(DefinitionSchema)
@blp.response(201, FormDetailSchema)
@blp.alt_response(200, schema=FormDetailSchema, description="Unchanged: the latest version")
def create_form(args, definition):
    """Create a custom form (or its next version); the body is a definition."""
    return _create("form", args, definition)


@blp.route("/checklists")
@blp.response(200, FormListSchema)
def list_checklists():
    return _list("checklist")


@blp.route("/checklists/<code>")
@blp.arguments(FormVersionQuery, location="query")
@blp.response(200, FormDetailSchema)
def get_checklist(args, code):
    return _detail("checklist", code, args)


@blp.route("/checklists", methods=["POST"])
@blp.arguments(FormCreateQuery, location="query")
@blp.arguments(ChecklistDefinitionSchema)
@blp.response(201, FormDetailSchema)
@blp.alt_response(200, schema=FormDetailSchema, description="Unchanged: the latest version")
def create_checklist(args, definition):
    """Create a custom audit checklist (criteria of type "score" grouped by direction)."""
    return _create("checklist", args, definition)
