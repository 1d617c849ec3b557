"""Who is signing in from where: the client's address and the devices trusted for a login.

The address is the connection's peer, unless that peer is one of the installation's proxies
(``METODNET_TRUSTED_PROXIES``: addresses or networks, comma-separated); then it is the
rightmost ``X-Forwarded-For`` hop that is not a proxy — the one the proxy itself appended,
so a client cannot choose it.  Without that setting the header is ignored.

A browser or API client that signed in successfully as a login receives a signed cookie
naming it; while it holds that cookie, others' failed guesses cannot lock that login for
it.  A password change makes the old cookies worthless (the cookie carries a digest of the
password hash).
"""

import hashlib
import ipaddress

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

DEVICE_COOKIE = "metodnet_device"
DEVICE_DAYS = 90
DEVICE_LOGINS = 5  # logins one device remembers (a shared office computer)


def _networks(setting: str) -> list:
    raw = current_app.config.get(setting, "") or ""
    if isinstance(raw, str):
        raw = raw.split(",")
    return [ipaddress.ip_network(item.strip(), strict=False) for item in raw if item.strip()]


def _within(address: str, networks) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def address() -> str:
    """The client's address, as described above."""
    peer = request.remote_addr or ""
    proxies = _networks("TRUSTED_PROXIES")
    if not _within(peer, proxies):
        return peer
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _within(hop, proxies):
            return hop if _is_address(hop) else peer
    return peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def throttle_key(client: str) -> str:
    """What a client is counted under: its address, or the /64 of an IPv6 one (a single
    subscriber usually holds a whole /64 and could rotate through it)."""
    try:
        parsed = ipaddress.ip_address(client)
    except ValueError:
        return client[:64]
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def in_allow_networks(client: str) -> bool:
    """The client is on a network the installation trusts for sign-in
    (``METODNET_LOGIN_ALLOW_NETWORKS``, e.g. the administrator's office)."""
    return _within(client, _networks("LOGIN_ALLOW_NETWORKS"))


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="metodnet.trusted-device")


def _mark(user) -> str:
    digest = hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
    return f"{user.id}:{digest}"


def _marks() -> list[str]:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        marks = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return []
    return [m for m in marks if isinstance(m, str)] if isinstance(marks, list) else []


def trusted_device(user) -> bool:
    """The request comes from a device that signed in as ``user`` (with this password)."""
    return user is not None and _mark(user) in _marks()


def remember_device(user) -> None:
    """Send the device its cookie with this login added (on the current response)."""
    marks = [_mark(user), *(m for m in _marks() if not m.startswith(f"{user.id}:"))]
    value = _serializer().dumps(marks[:DEVICE_LOGINS])

    @after_this_request
    def _set(response):
        response.set_cookie(
            DEVICE_COOKIE,
            value,
            max_age=DEVICE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
        return response
