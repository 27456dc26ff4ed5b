"""Small HTTP helpers shared by the apps' views."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
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


def wants_fragment(request: HttpRequest) -> bool:
    """Return whether to answer an htmx request with the page's fragment alone.

    A history restore needs the whole page: htmx has no cached copy to put it in.
    """
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page_or_fragment(
    request: HttpRequest, page: str, fragment: str, context: dict, **kwargs
) -> HttpResponse:
    """Render the page, or only its fragment for htmx; both vary on HX-Request.

    Without Vary a cache (the browser's back button included) could hand the fragment to a
    plain page load, or the page to htmx.
    """
    template = fragment if wants_fragment(request) else page
    response = render(request, template, context, **kwargs)
    patch_vary_headers(response, ["HX-Request"])
    return response
