"""The one JSON API; each app adds its router here."""

import logging
import math

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError

from bookings.api import router as bookings_router

# The schema is at /api/openapi.json and its docs at /api/docs. "ninja" is in INSTALLED_APPS
# so the docs page uses ninja's bundled Swagger UI: the CDN copy and its inline start-up
# script would be blocked by our Content-Security-Policy.
api = NinjaAPI(
    title="Officebooking API",
    version="1",
    description=(
        "The API of the Officebooking mobile app. Authenticate with a personal API token "
        "(made on the API tokens page) as `Authorization: Bearer <token>`. Bad input answers "
        "400 with the fields named in `detail`; a missing or revoked token answers 401."
    ),
    urls_namespace="api",
    docs_url="/docs",
)

api.add_router("/v1/", bookings_router)

logger = logging.getLogger(__name__)

# Where ninja found the value; the rest of the error's "loc" is the field.
PARAMETER_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


@api.exception_handler(ValidationError)
def bad_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Answer 400 naming each bad field, instead of ninja's 422 with pydantic's internals."""
    errors = [
        {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "")}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=400)


def _field_name(loc) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in PARAMETER_SOURCES:
        source, parts = parts[0], parts[1:]
        # A body schema sits under its parameter's name (["body", "payload", "major"]).
        if source == "body":
            parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja answers a body it can't parse with HttpError(400); give it the shape of any other
    # bad input, so the app reads one kind of 400.
    if exc.status_code != 400:
        response = api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
        if isinstance(exc, Throttled) and exc.wait is not None:
            # Whole seconds (RFC 9110), rounded up so the retry lands in the next window.
            response["Retry-After"] = str(math.ceil(exc.wait))
        return response
    detail = [{"field": "body", "message": str(exc)}]
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # Django would answer 400 with an HTML page; the app reads JSON, and 413 says what it is.
    logger.warning("API request body too large: %s", request.path)
    detail = _("The request body is too large.")
    return api.create_response(request, {"detail": detail}, status=413)
