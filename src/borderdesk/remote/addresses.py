"""Where a URL to check may point: a server that fetches the pages its users name must not become their
way into the server's own network (server-side request forgery).

The CLI fetches whatever its user names (their own machine, their own network: their business); the
server refuses hosts that resolve to loopback, private, link-local (cloud metadata at 169.254.169.254),
shared, multicast or reserved addresses, unless started with ``--allow-private-urls``.

Every hop of a redirect is checked, since a public page can redirect to ``http://127.0.0.1/``. The
check resolves the name itself; a name whose DNS answer changes between this check and the connection
(DNS rebinding) is not caught, which is why the server also binds to loopback by default.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

from borderdesk.errors import PageError

#: ``socket.getaddrinfo``'s signature; tests give their own (no DNS server is asked in tests).
Resolver = Callable[..., list[tuple[Any, ...]]]


def resolve_host(url: str, host: str, port: int, resolve: Resolver = socket.getaddrinfo) -> list[str]:
    """The addresses ``host`` resolves to; a name that does not resolve is a :class:`PageError`
    saying so (the one-line "DNS" failure, rather than a connection error deep in the transport)."""
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise PageError(f"cannot fetch {url}: the name {host!r} was not found (DNS: {exc})") from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise PageError(f"cannot fetch {url}: the name {host!r} has no address (DNS)")
    return addresses


def is_public(address: str) -> bool:
    """Whether ``address`` is on the public internet (not loopback, private, link-local, ...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") is not an address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def refuse_private(url: str, host: str, addresses: list[str]) -> None:
    """Raise :class:`PageError` when any address of ``host`` is not public."""
    for address in addresses:
        if not is_public(address):
            raise PageError(
                f"cannot fetch {url}: {host} is a private or local address ({address}), "
                "which this server does not fetch"
            )
