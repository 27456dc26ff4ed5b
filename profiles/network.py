"""Which address a request comes from, seen through the proxies the operator trusts."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Return the client's IP address: the one per-IP limits and logs must use.

    Behind a TLS proxy REMOTE_ADDR is the proxy, so every visitor would share one address and
    one visitor's failed logins would lock out everybody. X-Forwarded-For is only believed as
    far as the operator says proxies of theirs append to it: entries further left were sent by
    the client and can say anything.
    """
    header = settings.OFFICEBOOKING_TRUSTED_CLIENT_IP_HEADER
    forwarded = request.headers.get(header, "") if header else _forwarded_for(request)
    return _clean(forwarded) or _clean(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104


def _forwarded_for(request: HttpRequest) -> str:
    count = settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT
    header = request.headers.get("X-Forwarded-For", "")
    if count <= 0 or not header:
        return ""
    entries = header.split(",")
    if len(entries) < count:
        # Fewer entries than proxies: the request did not pass through all of ours.
        return ""
    return entries[-count]


def _clean(address: str) -> str:
    address = address.strip()
    if address.startswith("[") and "]" in address:
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:
        address = address.split(":")[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""
