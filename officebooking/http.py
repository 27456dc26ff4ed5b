"""Small HTTP helpers shared by the apps' views."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, fallback: str) -> str:
    """Return the POSTed `next` if it is a URL on this site, else `fallback`.

    `next` comes from the browser: followed unchecked it sends people off-site (an open
    redirect), and `redirect()` would try a bare word as a URL pattern name and fail.
    """
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback
