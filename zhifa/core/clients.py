"""Who is asking: the client's network address, behind zhifa's own proxies too.

Used by login lockout (django-axes), throttling and request ids. Reads only settings, so the
logging configuration may import it before the apps are ready.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_address", "is_trusted_proxy"]

_Networks = list[ipaddress.IPv4Network | ipaddress.IPv6Network] | None


def _networks() -> _Networks:
    """The trusted proxies (``settings.ZHIFA_TRUSTED_PROXIES``); None for "*" (every peer)."""
    nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for item in settings.ZHIFA_TRUSTED_PROXIES:
        if item == "*":
            return None
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue  # gunicorn ignores what it cannot parse too
    return nets


def _is_trusted(address: str, nets: _Networks) -> bool:
    if nets is None:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in nets)


def is_trusted_proxy(address: str) -> bool:
    """Whether ``address`` is one of the proxies in ``ZHIFA_FORWARDED_ALLOW_IPS``."""
    return bool(address) and _is_trusted(address, _networks())


def client_address(request: HttpRequest) -> str:
    """The client's network address: the peer (``REMOTE_ADDR``), unless the peer is a trusted
    proxy (``ZHIFA_FORWARDED_ALLOW_IPS``, as gunicorn trusts it); then the right-most address
    in ``X-Forwarded-For`` that is not itself a trusted proxy — the one the outermost trusted
    proxy saw. Entries further left were written by the client and are never believed."""
    peer = str(request.META.get("REMOTE_ADDR") or "")
    nets = _networks()
    if not peer or not _is_trusted(peer, nets):
        return peer  # "" when the server does not know it (a unix socket without a proxy)
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a malformed hop: believe no further
        if not _is_trusted(hop, nets):
            return hop
    return hops[0] if hops else peer
