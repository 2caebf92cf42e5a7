"""The address a request came from, also behind reverse proxies.

Without configuration it is ``REMOTE_ADDR``. Behind a proxy that is the proxy's address, so every client
would share one address (one throttle, one access-log address). ``WAARDEWERK_TRUSTED_PROXY_HEADER`` names
the header the proxy fills (``X-Forwarded-For`` or e.g. ``X-Real-IP``) and ``WAARDEWERK_TRUSTED_PROXIES``
how many proxies in front of the app append to it. Each proxy appends the address it received the request
from, so the client's address is the ``N``-th entry from the right; entries further left were written by
the client itself and are never trusted.
"""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def meta_key(header: str) -> str:
    """``X-Forwarded-For`` -> ``HTTP_X_FORWARDED_FOR`` (a META key given as such is kept)."""
    header = header.strip()
    if header.upper().startswith("HTTP_"):
        return header.upper()
    return "HTTP_" + header.upper().replace("-", "_")


def client_ip(request) -> str | None:
    """The client's address, or None when it cannot be known (no request, or not an IP address)."""
    if request is None:
        return None
    header = getattr(settings, "WAARDEWERK_TRUSTED_PROXY_HEADER", "")
    if header:
        proxies = max(1, int(getattr(settings, "WAARDEWERK_TRUSTED_PROXIES", 1)))
        entries = [e for e in (request.META.get(meta_key(header)) or "").split(",") if e.strip()]
        if entries:
            # Fewer entries than proxies: the leftmost one came from the first trusted proxy.
            return _valid(entries[-proxies] if len(entries) >= proxies else entries[0])
    return _valid(request.META.get("REMOTE_ADDR") or "")


def throttle_key(address: str) -> str:
    """The part of an address that a throttle counts: the address itself for IPv4, its /64 network for IPv6
    (one subscriber usually gets a whole /64, so counting single IPv6 addresses would let one attacker
    take a fresh address for every attempt)."""
    parsed = ipaddress.ip_address(address)
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
