"""Who a request comes from, for sharing the server out fairly.

A client is its address, except that an IPv6 address counts as its /64 (one machine or
one home gets a whole /64 and can pick a new address per request), and that behind a
trusted reverse proxy the client is the address the proxy saw, read from
``X-Forwarded-For``: the rightmost entry that is not itself a trusted proxy (entries
further left are whatever the client chose to send).
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(specs: Iterable[str]) -> tuple[Network, ...]:
    """The trusted proxies' networks from addresses or CIDR blocks; ``ValueError`` names a
    bad one."""
    networks = []
    for spec in specs:
        try:
            networks.append(ipaddress.ip_network(spec.strip(), strict=False))
        except ValueError:
            raise ValueError(f"not an address or network: {spec!r}") from None
    return tuple(networks)


def client_address(peer: str, forwarded_for: str | None,
                   trusted: tuple[Network, ...]) -> str:
    """The client's address: ``peer`` itself unless it is a trusted proxy, then the
    rightmost untrusted address of ``forwarded_for``."""
    if not trusted or not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    for entry in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not _is_trusted(entry, trusted):
            return entry if _address(entry) is not None else peer
    return peer


@functools.lru_cache(maxsize=4096)
def client_group(address: str | None) -> str | None:
    """The key a client's requests are counted under: an IPv4 address as it is, an IPv6
    address as its /64 (an IPv4-mapped one as its IPv4 address). Asked for every request
    (parsing an address is most of a small request's own work here): kept for the
    addresses seen lately."""
    parsed = _address(address) if address else None
    if parsed is None:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def _is_trusted(text: str, trusted: tuple[Network, ...]) -> bool:
    parsed = _address(text)
    return parsed is not None and any(parsed in network for network in trusted)
