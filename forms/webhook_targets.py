"""Where webhooks may point: public internet addresses only.

A webhook makes the server send a request wherever its URL says, so an internal URL
(the loopback, the cloud metadata service at 169.254.169.254, a private network) would let
a regional operator reach what only the server can.  The URL is checked when it is
registered and again at every delivery, after DNS resolution: the delivery connects to
the very address that was checked, so a name re-pointed to a private address in between
(DNS rebinding) is refused too.  ``METODNET_WEBHOOK_ALLOW_HOSTS`` (comma-separated host
names or addresses) lets an installation name private hosts it trusts.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from flask import current_app

NOT_PUBLIC = "Вебхук может вести только на публичный адрес в интернете, не на «{host}» ({address})."
UNKNOWN_HOST = "В адресе вебхука не указан сервер."
# NAT64 (RFC 6052) carries an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(ValueError):
    """The URL leads to an address a webhook may not reach; the message is Russian."""


def allowed_hosts() -> set[str]:
    raw = current_app.config.get("WEBHOOK_ALLOW_HOSTS", "") or ""
    if isinstance(raw, str):
        raw = raw.split(",")
    return {host.strip().strip("[]").casefold() for host in raw if host.strip()}


def _embedded_ipv4(address):
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, Teredo, NAT64), if any."""
    if address.version != 6:
        return None
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address) -> bool:
    """A globally routable unicast address: not loopback, private, link-local, shared,
    reserved, multicast or unspecified (an embedded IPv4 address is checked as well)."""
    address = ipaddress.ip_address(address)
    inner = _embedded_ipv4(address)
    if inner is not None and not is_public(inner):
        return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def _host(url: str) -> str:
    host = urlsplit(url).hostname
    if not host:
        raise TargetRefused(UNKNOWN_HOST)
    return host.casefold()


def _addresses(host: str, port: int | None, numeric_only=False) -> list[str]:
    """Addresses of ``host`` as the system's resolver gives them (and so as a connection
    would use them: "2130706433", "0x7f.1" and "127.1" all mean 127.0.0.1)."""
    flags = socket.AI_NUMERICHOST if numeric_only else 0
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=flags)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _check(host: str, addresses: list[str]) -> None:
    for address in addresses:
        if not is_public(address.split("%")[0]):
            raise TargetRefused(NOT_PUBLIC.format(host=host, address=address))


def check_registration(url: str) -> None:
    """Refuse a URL whose host is an internal address, or a name that resolves to one now.
    A name that does not resolve yet is accepted: every delivery checks it again."""
    host = _host(url)
    if host in allowed_hosts():
        return
    try:
        addresses = _addresses(host, None, numeric_only=True)
    except socket.gaierror:  # a name, not an address
        try:
            addresses = _addresses(host, None)
        except (socket.gaierror, UnicodeError):
            return
    _check(host, addresses)


def resolve_for_delivery(url: str) -> tuple[str, int, str]:
    """(host, port, address) to connect to: the first resolved address, after checking all
    of them; raises TargetRefused for an internal one, OSError when the name is unknown."""
    parts = urlsplit(url)
    host = _host(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _addresses(host, port)
    if host not in allowed_hosts():
        _check(host, addresses)
    return host, port, addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to a checked address while speaking to the host by name (Host header)."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """The same over TLS: the certificate is verified for the host name, not the address."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    """POST to a checked address; redirects are not followed (they could lead inside)."""
    host, port, address = resolve_for_delivery(url)
    parts = urlsplit(url)
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = kind(host, port, address, timeout)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()
