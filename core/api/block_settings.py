"""A block's settings for a region: GET/PUT /api/v1/organizations/{region_id}/settings/{plugin}.

The engines (``core.plugins.ENGINES``: the exports engine's «Показатели») declare settings
the same way; an engine runs everywhere, so its settings are served in every region.

Read by anyone working in the region (a school included); changed by whoever holds the
block's settings permission at the region (``settings.manage`` unless the block names its
own: the regional operator and the administrator).
"""

from marshmallow import INCLUDE, Schema, ValidationError

from core import activation, block_settings
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError, field_error, flatten
from core.models import Organization
from core.plugins import ENGINES

blp = Blueprint(
    "block_settings", __name__, url_prefix="/api/v1", description="Настройки блоков региона"
)


class SettingsValuesSchema(Schema):
    """The block's own settings object; its schema (``register_settings``) checks it."""

    class Meta:
        unknown = INCLUDE

    def dump(self, obj, *, many=None):
        return obj  # already shaped by the block's schema and defaults


def overlaps(principal, org) -> bool:
    """The caller works somewhere in ``org``'s subtree or above it (who may read settings)."""
    return any(
        org.path.startswith(scope) or scope.startswith(org.path) for scope in principal.scopes()
    )


def may_change(principal, org, plugin: str) -> bool:
    """The caller holds the block's settings permission at the region."""
    return principal.can(block_settings.declaration(plugin)["permission"], org.path)


def runs_in(org, plugin: str) -> bool:
    """An engine always; a block when it is on somewhere in ``org``'s subtree."""
    return plugin in ENGINES or activation.on_below(org, plugin)


def blocks_in(org) -> list[str]:
    """The blocks (and engines) declaring settings that run somewhere in the region ``org``."""
    return [name for name in block_settings.declared_plugins() if runs_in(org, name)]


def region_for(region_id: int, plugin: str, change: bool = False) -> Organization:
    """The region whose settings of ``plugin`` the caller reads (``change``: changes): 404
    outside the caller's scopes, for a block without settings or off everywhere in the
    region; 403 without the block's settings permission; 422 for anything but a region.
    The API and the settings page both ask this one rule."""
    principal = current()
    org = Organization.get_or_none(Organization.id == region_id)
    if org is None or not overlaps(principal, org):
        raise ApiError(404)
    try:
        block_settings.declaration(plugin)
    except block_settings.NoSettings:
        raise ApiError(404, "У блока нет настроек.") from None
    if not runs_in(org, plugin):
        raise ApiError(404)  # the block runs nowhere in the region
    if change and not may_change(principal, org, plugin):
        raise ApiError(403)
    if org.kind != "region":
        raise field_error("region_id", "Настройки блоков задаются для региона.")
    return org


@blp.route("/organizations/<int:region_id>/settings/<plugin>")
@blp.response(200, SettingsValuesSchema)
def get_settings(region_id, plugin):
    """The region's settings of the block: what it changed over the block's defaults."""
    return block_settings.read(region_for(region_id, plugin), plugin)


@blp.route("/organizations/<int:region_id>/settings/<plugin>", methods=["PUT"])
@blp.arguments(SettingsValuesSchema)
@blp.response(200, SettingsValuesSchema)
def put_settings(body, region_id, plugin):
    """Change the region's settings of the block (nested objects merge key by key); the
    audit log keeps them before and after."""
    org = region_for(region_id, plugin, change=True)
    try:
        return block_settings.update(org, plugin, body, current().user)
    except ValidationError as error:
        raise ApiError(422, fields=flatten(error.messages)) from None
