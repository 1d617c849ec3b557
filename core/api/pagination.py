"""The page envelope used by every list endpoint."""

from functools import cache

from marshmallow import fields

from core.schemas.base import BaseSchema


@cache
def page_of(item_schema):
    """An envelope schema {"items": [...], "total", "page", "per_page"} for items."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(
        name,
        (BaseSchema,),
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "total": fields.Integer(required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
        },
    )


def paginate(query, args):
    page, per_page = args["page"], args["per_page"]
    return {
        "items": list(query.paginate(page, per_page)),
        "total": query.count(),
        "page": page,
        "per_page": per_page,
    }
