"""Targets of indicators per region and year:
/api/v1/regions/{region_id}/indicator-targets[/{code}[/{year}]].

Read by anyone working in the region; changed by whoever holds ``indicator.targets.manage``
at the region (the regional operator and the administrator).  Another region's targets
answer 404, like an unknown region.
"""

from marshmallow import fields, validate

from core import clock
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.models import Organization
from core.schemas.base import BaseSchema
from exports import targets

blp = Blueprint(
    "indicator_targets",
    __name__,
    url_prefix="/api/v1",
    description="Целевые значения показателей по регионам и годам",
)
MANAGE = "indicator.targets.manage"


class TargetsQuery(BaseSchema):
    year = fields.Integer(
        validate=validate.Range(min=targets.YEARS[0], max=targets.YEARS[1]),
        metadata={"description": "The year whose target in force is shown (default: this year)."},
    )


class TargetsBody(BaseSchema):
    targets = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        required=True,
        metadata={"description": 'Year → target: {"2024": 60, "2025": 100}.'},
    )
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class ClearQuery(BaseSchema):
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class IndicatorTargetsSchema(BaseSchema):
    code = fields.String()
    title = fields.String()
    unit = fields.String()
    direction = fields.String()
    plugin = fields.String(allow_none=True)
    declared = fields.Float(allow_none=True, metadata={"description": "Default for the year."})
    declared_trajectory = fields.Dict(keys=fields.String(), values=fields.Float(), allow_none=True)
    declared_from_setting = fields.Boolean()
    targets = fields.Dict(keys=fields.String(), values=fields.Float())
    target = fields.Float(allow_none=True)
    source = fields.String(metadata={"description": "declared or region"})


class TargetsListSchema(BaseSchema):
    year = fields.Integer()
    items = fields.List(fields.Nested(IndicatorTargetsSchema))


def region_for(region_id: int, change: bool = False) -> Organization:
    """The region if the caller works in it (else 404) and, to ``change``, holds the
    permission there (else 403).  The API and the page ask this one rule."""
    from core.api.block_settings import overlaps

    principal = current()
    region = Organization.get_or_none(Organization.id == region_id)
    if region is None or region.kind != "region" or not overlaps(principal, region):
        raise ApiError(404)
    if change and not principal.can(MANAGE, region.path):
        raise ApiError(403)
    return region


def item(region, code, year=None) -> dict:
    year = year or clock.today(region).year
    for found in targets.listing(region, year):
        if found["code"] == code:
            return found
    raise ApiError(404)


@blp.route("/regions/<int:region_id>/indicator-targets")
@blp.arguments(TargetsQuery, location="query")
@blp.response(200, TargetsListSchema)
def list_targets(args, region_id):
    """Every indicator of the region: its declared default, the years the region set, and
    the target in force for ``year`` with its source."""
    year = args.get("year") or clock.now().year
    return {"year": year, "items": targets.listing(region_for(region_id), year)}


@blp.route("/regions/<int:region_id>/indicator-targets/<code>", methods=["PUT"])
@blp.arguments(TargetsBody)
@blp.response(200, IndicatorTargetsSchema)
def put_targets(body, region_id, code):
    """Set the region's targets for one or several years (a trajectory); the other years
    keep theirs.  Audited with the values before and after and the reason."""
    region = region_for(region_id, change=True)
    try:
        targets.set_targets(
            region, code, body["targets"], user=current().user, reason=body["reason"]
        )
    except targets.UnknownIndicator:
        raise ApiError(404, "Показатель не найден.") from None
    except targets.TargetsRefused as error:
        raise ApiError(422, fields=error.fields) from None
    return item(region, code)


@blp.route("/regions/<int:region_id>/indicator-targets/<code>/<int:year>", methods=["DELETE"])
@blp.arguments(ClearQuery, location="query")
@blp.response(200, IndicatorTargetsSchema)
def clear_target(args, region_id, code, year):
    """Back to the declared default for that year (audited)."""
    region = region_for(region_id, change=True)
    try:
        targets.clear(region, code, [year], user=current().user, reason=args["reason"])
    except targets.UnknownIndicator:
        raise ApiError(404, "Показатель не найден.") from None
    return item(region, code, year)
