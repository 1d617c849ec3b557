"""Bearer tokens: random, stored only as a SHA-256 hash, expiring, revocable."""

import datetime as dt
import hashlib
import secrets

from core.db import first_cached
from core.models import ApiToken, User, utcnow


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def issue(user, ttl_hours: int) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    row = ApiToken.create(
        user=user,
        token_hash=digest(token),
        expires_at=utcnow() + dt.timedelta(hours=ttl_hours),
    )
    return token, row


def find_valid(token: str) -> ApiToken | None:
    # The user rides along: every authenticated request reads it next (one query, not two).
    hashed = digest(token)
    query = ApiToken.select(ApiToken, User).join(User).where(ApiToken.token_hash == hashed)
    row = first_cached("tokens.find_valid", query, (hashed,))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    return row


def revoke(row: ApiToken) -> None:
    row.revoked_at = utcnow()
    row.save()
