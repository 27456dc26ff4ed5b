"""The privacy statement, its contact form, cookie consent and "buildings near me"."""

import hashlib
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from locations.models import Building
from officebooking.http import render_page_or_fragment, safe_next_url
from privacy.contact import QUESTION_RETENTION, submit_question
from privacy.context_processors import CONSENT_CHOICES, CONSENT_COOKIE, CONSENT_MAX_AGE_SECONDS
from privacy.cookies import site_cookies
from privacy.forms import ContactForm, NearMeForm
from profiles.decorators import member_required
from profiles.models import Organization
from profiles.network import client_ip

CONTACT_LIMIT = 5
CONTACT_WINDOW_SECONDS = 60 * 60
EARTH_RADIUS_KM = 6371.0
# Cookies Matomo sets after a "yes"; a later "no" removes them.
ANALYTICS_COOKIE_PREFIXES = ("_pk_", "mtm_", "MATOMO_")


def _render_statement(request: HttpRequest, form: ContactForm, status: int = 200) -> HttpResponse:
    organization = request.organization
    context = {
        "form": form,
        "service_desk_email": settings.OFFICEBOOKING_SERVICE_DESK_EMAIL,
        "data_centre_country": settings.OFFICEBOOKING_DATA_CENTRE_COUNTRY,
        "analytics_configured": bool(settings.OFFICEBOOKING_ANALYTICS_URL),
        "retention_days": organization.retention_days if organization else None,
        "audit_log_retention_days": settings.OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS,
        "staff_access_retention_days": settings.OFFICEBOOKING_STAFF_ACCESS_RETENTION_DAYS,
        "revoked_token_retention_days": settings.OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS,
        "session_idle_timeout": settings.OFFICEBOOKING_SESSION_IDLE_TIMEOUT,
        "session_days": settings.SESSION_COOKIE_AGE // (24 * 60 * 60),
        "contact_question_retention_days": QUESTION_RETENTION.days,
    }
    return render(request, "privacy/statement.html", context, status=status)


@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    return _render_statement(request, ContactForm())


def _contact_allowed(request: HttpRequest) -> bool:
    """Count a question from this address; return whether it is within the hourly limit."""
    # Hashed: the cache need not hold the address itself.
    address = hashlib.sha256(client_ip(request).encode()).hexdigest()
    key = f"privacy-contact:{address}"
    cache.add(key, 0, CONTACT_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window expired between add() and incr().
        cache.set(key, 1, CONTACT_WINDOW_SECONDS)
        count = 1
    return count <= CONTACT_LIMIT


@require_POST
def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST)
    if not _contact_allowed(request):
        form.is_valid()
        form.add_error(
            None,
            _(
                "You sent several questions in a short time. Please try again in an hour, "
                "or e-mail the service desk."
            ),
        )
        return _render_statement(request, form, status=429)
    if not form.is_valid():
        return _render_statement(request, form, status=400)
    if not form.is_from_robot():
        data = form.cleaned_data
        # Stored, and e-mailed after the commit: a mail server that is down loses nothing.
        submit_question(
            name=data["name"],
            email=data["email"],
            message=data["message"],
            language=get_language(),
        )
    messages.success(request, _("Thank you. The service desk will answer you by e-mail."))
    return redirect(reverse("privacy_statement") + "#contact")


@require_GET
def cookie_settings(request: HttpRequest) -> HttpResponse:
    context = {"consent": request.COOKIES.get(CONSENT_COOKIE), "cookies": site_cookies()}
    return render(request, "privacy/cookie_settings.html", context)


@require_POST
def consent(request: HttpRequest) -> HttpResponse:
    """Remember the answer to the analytics question in a functional cookie."""
    if not settings.OFFICEBOOKING_ANALYTICS_URL:
        raise Http404
    choice = request.POST.get("consent")
    if choice not in CONSENT_CHOICES:
        return HttpResponseBadRequest()
    response = redirect(safe_next_url(request, reverse("cookie_settings")))
    response.set_cookie(
        CONSENT_COOKIE,
        choice,
        max_age=CONSENT_MAX_AGE_SECONDS,
        samesite="Lax",
        secure=not settings.DEBUG,
        httponly=True,
    )
    if choice == "no":
        for name in request.COOKIES:
            if name.startswith(ANALYTICS_COOKIE_PREFIXES):
                response.delete_cookie(name, samesite="Lax")
    messages.success(request, _("Your choice is saved. You can change it under Cookie settings."))
    return response


@dataclass(frozen=True)
class BuildingDistance:
    building: Building
    km: float | None


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle (haversine) distance between two points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _buildings_by_distance(
    *, organization: Organization, latitude: float, longitude: float
) -> list[BuildingDistance]:
    rows = []
    for building in Building.objects.for_organization(organization):
        km = None
        if building.latitude is not None and building.longitude is not None:
            km = _distance_km(
                latitude, longitude, float(building.latitude), float(building.longitude)
            )
        rows.append(BuildingDistance(building=building, km=km))
    # Buildings without coordinates go last, by name.
    return sorted(rows, key=lambda row: (row.km is None, row.km or 0.0, row.building.name))


@member_required
@require_http_methods(["GET", "POST"])
def buildings_near_me(request: HttpRequest) -> HttpResponse:
    """Sort the organisation's buildings by distance from where the person is.

    The coordinates come in a POST body (a URL would put them in access logs), are used for
    this one answer and are neither stored nor logged.
    """
    results = None
    form = NearMeForm()
    if request.method == "POST":
        posted = NearMeForm(request.POST)
        if posted.is_valid():
            results = _buildings_by_distance(
                organization=request.organization,
                latitude=posted.cleaned_data["latitude"],
                longitude=posted.cleaned_data["longitude"],
            )
        else:
            form = posted
    context = {"form": form, "results": results}
    response = render_page_or_fragment(
        request, "privacy/near_me.html", "privacy/partials/near_me_results.html", context
    )
    # The answer reveals roughly where the person is: no cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response
