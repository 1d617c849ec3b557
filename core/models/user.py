"""Users, their role grants (each scoped to a subtree) and API tokens."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from core.models.base import BaseModel, utcnow
from core.models.organization import Organization
from core.models.staff import StaffMember


class User(BaseModel):
    login = CharField(max_length=100, unique=True)  # stored lower-cased
    password_hash = CharField(max_length=255)
    full_name = CharField(max_length=300)
    email = CharField(max_length=254, default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)


class RoleGrant(BaseModel):
    user = ForeignKeyField(User, backref="grants", on_delete="CASCADE")
    role = CharField(max_length=32)
    # NULL scope: the whole installation (only for administrators).
    scope = ForeignKeyField(Organization, null=True, backref="grants", on_delete="CASCADE")
    staff = ForeignKeyField(StaffMember, null=True, backref="grants", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)


class ApiToken(BaseModel):
    user = ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    revoked_at = DateTimeField(null=True)


class LoginThrottle(BaseModel):
    """Failed sign-ins per lower-cased login, whether or not the login exists."""

    login = CharField(max_length=100, unique=True)
    failures = IntegerField(default=0)
    first_failure_at = DateTimeField(null=True)
    locked_until = DateTimeField(null=True)


class ClientThrottle(BaseModel):
    """Failed sign-ins per client address (an IPv6 client per /64), whatever the login."""

    client = CharField(max_length=64, unique=True)
    failures = IntegerField(default=0)
    first_failure_at = DateTimeField(null=True)
    locked_until = DateTimeField(null=True)
