"""The organisation tree (region → hub → municipality → organisation) and statuses."""

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from core.models.base import BaseModel, utcnow

KINDS = {
    "region": "Регион",
    "hub": "Межмуниципальный методический центр",
    "municipality": "Муниципалитет",
    "school": "Школа",
    "kindergarten": "Детский сад",
    "additional": "Организация дополнительного образования",
    "methodical_centre": "Методический центр",
}

# Kinds of educational organisations: the units that submit data.
EDUCATIONAL_KINDS = ("school", "kindergarten", "additional")

# Which kinds may stand directly under which parent kind.
ALLOWED_PARENTS = {
    "region": (None,),
    "hub": ("region",),
    "municipality": ("region", "hub"),
    "school": ("municipality",),
    "kindergarten": ("municipality",),
    "additional": ("municipality", "region"),
    "methodical_centre": ("municipality", "hub", "region"),
}

# Administrative levels where programme blocks are switched on or off.
ACTIVATION_KINDS = ("region", "hub", "municipality")

# Organisation statuses are a vocabulary (core.vocabulary, "organization_statuses").


class Organization(BaseModel):
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    # Root of the tree: codes are unique inside a region.
    region_id = IntegerField(null=True, index=True)
    # Materialised path "/1/5/23/": subtree queries are one prefix match.
    path = CharField(max_length=255, index=True, default="")
    kind = CharField(max_length=32, index=True)
    name = CharField(max_length=500)
    short_name = CharField(max_length=200, default="")
    code = CharField(max_length=64)
    active = BooleanField(default=True)
    # IANA zone of a region, hub or municipality; None: the parent's (core.clock).
    time_zone = CharField(max_length=64, null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("region_id", "code"), True),)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this organisation, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class OrganizationStatus(BaseModel):
    organization = ForeignKeyField(Organization, backref="statuses", on_delete="CASCADE")
    status = CharField(max_length=40)
    start_date = DateField()
    end_date = DateField(null=True)
    note = CharField(max_length=500, default="")
    created_at = DateTimeField(default=utcnow)


def in_subtree(path_field, prefix: str):
    """Condition: ``path_field`` lies under the materialised path ``prefix``.

    A range on the path instead of LIKE: both SQLite and PostgreSQL answer it
    from a plain B-tree index.  Paths end with "/", and "0" follows "/".
    """
    return (path_field >= prefix) & (path_field < prefix[:-1] + "0")
