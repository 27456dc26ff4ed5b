import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control

# Where officebooking/urls.py mounts the NinjaAPI.
API_PATH_PREFIX = "/api/"


class HtmxLoginRedirectMiddleware:
    """Answer an htmx request whose login expired with HX-Redirect to the login page.

    A plain 302 would be followed by htmx itself and swap the login form into the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or response.status_code != 302:
            return response
        location = response.get("Location", "")
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = location
            return redirect
        return response


class PrivateResponseHeadersMiddleware:
    """Keep signed-in pages out of every cache, and tell browsers which features pages use.

    A signed-in page shows someone's bookings, colleagues or profile: without Cache-Control a
    shared proxy or the browser's disk may keep it for whoever comes next. Views that chose
    their own caching (the floor plan, the calendar feed, the manifest) keep it. Static files
    never get here: WhiteNoise answers them further up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # request.user is read after the view: the API's token authentication sets it there.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ApiJsonErrorsMiddleware:
    """Give every error under /api/ the API's JSON shape, `{"detail": "..."}`.

    Ninja shapes the errors of its own operations; the others come from Django as HTML pages:
    an unknown path (404), a method the path lacks (405, with an empty body), an uncaught
    exception (500). The phone app reads JSON only. The body is replaced in place, so the
    headers other middleware set (Allow, security headers) stay.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PATH_PREFIX)
            and response.status_code >= 400
            and not response.streaming
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            response.content = json.dumps({"detail": response.reason_phrase})
            response["Content-Type"] = "application/json; charset=utf-8"
        return response
