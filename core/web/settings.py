"""The block settings page: for a region, the installed blocks that declare settings and
are on somewhere in it, and per block its settings — a form built from the block's
marshmallow schema for whoever holds the block's settings permission, the values read-only
for everyone else who may read them.

The page asks the API's rule (``core.api.block_settings.region_for``) and saves through
``core.block_settings.update``, which validates with the block's schema, stores and
audits; a refused value is shown next to its field (422) and nothing is stored.
"""

from dataclasses import dataclass, field

from flask import Blueprint, g, redirect, render_template, request, url_for
from marshmallow import ValidationError
from marshmallow import fields as ma

from core import access, block_settings
from core.api.block_settings import blocks_in, may_change, overlaps, region_for
from core.api.errors import ApiError
from core.models import Organization
from core.web.forms import PageForm
from core.web.session import login_required

bp = Blueprint("settings_pages", __name__, url_prefix="/settings", template_folder="templates")

SAVED = "Настройки сохранены"


@dataclass
class SettingField:
    """One field of a block's settings as the page shows it (``group``: a nested schema,
    shown as a fieldset of its ``children``)."""

    name: str  # the input's name: the dotted path ("thresholds.federal.high")
    label: str
    kind: str  # "group", "integer", "number", "boolean", "text"
    value: object = None
    errors: list = field(default_factory=list)
    children: list = field(default_factory=list)

    @property
    def shown(self) -> str:
        if self.kind == "boolean":
            return "да" if self.value else "нет"
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return "—" if self.value in (None, "") else str(self.value)


def _label(name: str, declared) -> str:
    return declared.metadata.get("title") or name.replace("_", " ").strip().capitalize()


def _kind(declared) -> str:
    if isinstance(declared, ma.Boolean):
        return "boolean"
    if isinstance(declared, ma.Integer):
        return "integer"
    if isinstance(declared, ma.Number):
        return "number"
    return "text"


def _inputs(schema):
    """(key, declared field) the form offers: everything the schema loads."""
    for name, declared in schema.fields.items():
        if not declared.dump_only:
            yield declared.data_key or name, declared


def _is_group(declared) -> bool:
    return isinstance(declared, ma.Nested) and not declared.many


def _messages(found) -> list[str]:
    if isinstance(found, dict):
        return [m for value in found.values() for m in _messages(value)]
    if isinstance(found, list | tuple):
        return [m for value in found for m in _messages(value)]
    return [] if found is None else [str(found)]


def fields_of(schema, values, errors=None, prefix="") -> list[SettingField]:
    """The page's fields of ``schema`` with ``values`` (stored or just submitted) and the
    schema's error messages, nested schemas as groups."""
    errors = errors or {}
    found = []
    for key, declared in _inputs(schema):
        path, value, problems = prefix + key, values.get(key), errors.get(key)
        label = _label(key, declared)
        if _is_group(declared):
            inner = problems if isinstance(problems, dict) else {}
            general = _messages(inner.get("_schema")) if inner else _messages(problems)
            children = fields_of(declared.schema, value or {}, inner, path + ".")
            found.append(SettingField(path, label, "group", None, general, children))
        else:
            found.append(SettingField(path, label, _kind(declared), value, _messages(problems)))
    return found


def submitted(schema, form, prefix="") -> dict:
    """The values of the posted form, shaped as the schema loads them; an empty input is
    left out (a required one is then refused as required, never stored empty)."""
    values = {}
    for key, declared in _inputs(schema):
        path = prefix + key
        if _is_group(declared):
            values[key] = submitted(declared.schema, form, path + ".")
        elif isinstance(declared, ma.Boolean):
            values[key] = path in form
        else:
            raw = form.get(path, "").strip()
            if raw:
                values[key] = raw.replace(",", ".") if isinstance(declared, ma.Number) else raw
    return values


def _general(errors: dict) -> list[str]:
    """Messages of the whole form (a schema-level check)."""
    return _messages(errors.get("_schema"))


def _regions(principal) -> list[Organization]:
    regions = Organization.select().where(Organization.kind == "region").order_by(Organization.name)
    return [region for region in regions if overlaps(principal, region)]


def _changeable(principal, region) -> list[str]:
    return [name for name in blocks_in(region) if may_change(principal, region, name)]


def menu_links(principal) -> list[dict]:
    """«Настройки блоков» for whoever may change some block's settings in some region."""
    permissions = {
        block_settings.declaration(n)["permission"] for n in block_settings.declared_plugins()
    }
    if not any(principal.scopes(permission) for permission in permissions):
        return []  # most people: no query at all
    if any(_changeable(principal, region) for region in _regions(principal)):
        return [{"href": url_for("settings_pages.index"), "label": "Настройки блоков", "order": 90}]
    return []


@bp.route("")
@login_required
def index():
    """The regions the person works in; with only one, straight to it."""
    regions = _regions(g.principal)
    if len(regions) == 1:
        return redirect(url_for("settings_pages.region", region_id=regions[0].id))
    return render_template("settings/index.html", regions=regions)


@bp.route("/regions/<int:region_id>")
@login_required
def region(region_id):
    org = Organization.get_or_none(Organization.id == region_id)
    if org is None or org.kind != "region" or not overlaps(g.principal, org):
        raise ApiError(404)
    blocks = [
        {
            "name": name,
            "title": block_settings.declaration(name)["title"],
            "changeable": may_change(g.principal, org, name),
        }
        for name in blocks_in(org)
    ]
    return render_template("settings/region.html", region=org, blocks=blocks)


@bp.route("/regions/<int:region_id>/<plugin>", methods=["GET", "POST"])
@login_required
def block(region_id, plugin):
    changing = request.method == "POST"
    org = region_for(region_id, plugin, change=changing)
    declared = block_settings.declaration(plugin)
    schema = declared["schema"]()
    form = PageForm(request.form if changing else None)
    values, errors, notice, status = block_settings.read(org, plugin), {}, None, 200
    if changing:
        if not form.validate():  # the session's CSRF token, checked again by the form
            raise ApiError(400)
        posted = submitted(schema, request.form)
        try:
            values = block_settings.update(org, plugin, posted, g.principal.user)
            notice = SAVED
        except ValidationError as error:
            values, errors, status = posted, error.messages, 422
    return render_template(
        "settings/block.html",
        region=org,
        plugin=plugin,
        title=declared["title"],
        form=form,
        fields=fields_of(schema, values, errors),
        general=_general(errors),
        changeable=may_change(g.principal, org, plugin),
        permission=access.table().permissions[declared["permission"]]["title"],
        notice=notice,
    ), status
