"""The "My data" page and the export of it (GDPR art. 15 and 20)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import reswap

from bookings.models import Booking, CalendarFeed, CheckIn, FavoriteResource
from officebooking.http import wants_fragment
from privacy.context_processors import CONSENT_COOKIE
from privacy.export import start_export
from privacy.models import DataExport, StaffAccess
from privacy.selectors import home_time_zone, staff_accesses_of
from profiles.audit import describe_change, local_when, role_label
from profiles.models import ApiToken, AuditEntry, Membership, Profile, User

# The page shows the latest rows of the long lists; the export holds all of them.
LATEST = 20


def _get_export_for_user(request: HttpRequest, export_id: int) -> DataExport:
    """Return the person's own export that has not expired; anything else is a 404."""
    exports = DataExport.objects.filter(user=request.user).exclude(expires_at__lte=timezone.now())
    return get_object_or_404(exports, pk=export_id)


def _staff_changes(user: User) -> tuple[list[dict], bool]:
    """Return the latest entries about the person, and whether there are more (one query)."""
    entries = list(AuditEntry.objects.filter(subject=user).select_related("actor")[: LATEST + 1])
    rows = [
        {
            "entry": entry,
            "when": local_when(entry),
            "who": entry.actor_display,
            "role": role_label(entry.actor_role),
            "what": describe_change(entry),
        }
        for entry in entries[:LATEST]
    ]
    return rows, len(entries) > LATEST


@never_cache
@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    user = request.user
    bookings = Booking.objects.filter(user=user).select_related("resource__floor__building")
    check_ins = CheckIn.objects.filter(user=user).select_related(
        "booking__resource__floor__building"
    )
    staff_changes, more_staff_changes = _staff_changes(user)
    profile = Profile.objects.filter(user=user).select_related("default_building").first()
    context = {
        "membership": Membership.objects.filter(user=user).select_related("organization").first(),
        "profile": profile,
        "email_addresses": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "social_accounts": SocialAccount.objects.filter(user=user),
        "authenticators": Authenticator.objects.filter(user=user),
        "admin_changes": LogEntry.objects.filter(user=user).count(),
        "user_sessions": UserSession.objects.filter(user=user).order_by("-last_seen_at"),
        "bookings": bookings.order_by("-start")[:LATEST],
        "booking_count": bookings.count(),
        "booked_for_others": Booking.objects.filter(booked_by=user).exclude(user=user).count(),
        "favourites": FavoriteResource.objects.filter(user=user).select_related("resource"),
        "check_ins": check_ins.order_by("-checked_in_at")[:LATEST],
        "check_in_count": check_ins.count(),
        "presence_shared_count": check_ins.filter(shares_presence=True).count(),
        # Kept only in the browser's cookie, so it is shown here but not in the export.
        "analytics_consent": request.COOKIES.get(CONSENT_COOKIE),
        "calendar_feeds": CalendarFeed.objects.filter(user=user),
        "api_tokens": ApiToken.objects.filter(user=user),
        "exports": DataExport.objects.filter(user=user).exclude(expires_at__lte=timezone.now()),
        "staff_accesses": staff_accesses_of(user, limit=LATEST),
        "home_time_zone": home_time_zone(person=user, profile=profile),
        "staff_access_count": StaffAccess.objects.filter(person=user).count(),
        "staff_changes": staff_changes,
        "more_staff_changes": more_staff_changes,
    }
    return render(request, "privacy/my_data.html", context)


@login_required
@require_POST
def start_export_view(request: HttpRequest) -> HttpResponse:
    export, created = start_export(user=request.user)
    if not wants_fragment(request):
        return redirect(reverse("my_data") + "#exports")
    response = render(request, "privacy/partials/export_status.html", {"export": export})
    if not created:
        # Already on the page, and polling: showing it twice would only confuse.
        response = reswap(response, "none")
    return response


@login_required
@require_safe
def export_status(request: HttpRequest, export_id: int) -> HttpResponse:
    export = _get_export_for_user(request, export_id)
    if not wants_fragment(request):
        return redirect(reverse("my_data") + "#exports")
    response = render(request, "privacy/partials/export_status.html", {"export": export})
    patch_vary_headers(response, ["HX-Request"])
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_safe
def export_download(request: HttpRequest, export_id: int) -> FileResponse:
    export = _get_export_for_user(request, export_id)
    if export.status != DataExport.Status.READY or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = f"officebooking-my-data-{export.finished_at:%Y-%m-%d}.zip"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/zip"
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def export_format(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/export_format.html")
