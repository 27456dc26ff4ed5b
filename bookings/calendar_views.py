from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from bookings.calendar import bookings_calendar
from bookings.models import Booking, CalendarFeed, feed_token_hash
from bookings.selectors import upcoming_bookings
from bookings.services import create_calendar_feed, revoke_calendar_feed
from profiles.decorators import member_required

# Calendar apps poll a feed; this is what we ask of them, and how long they may keep a copy.
FEED_REFRESH = timedelta(hours=1)
FEED_MAX_AGE = timedelta(minutes=5)


def _calendar_response(content: bytes, *, filename: str, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Serve a person's upcoming bookings to their calendar app; public, the token is the key."""
    feed = (
        CalendarFeed.objects.select_related("user__membership__organization")
        .filter(token_hash=feed_token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    user = feed.user
    organization = user.organization
    if organization is None:
        bookings = Booking.objects.none()
    else:
        bookings = upcoming_bookings(organization=organization, user=user)
    # The app asking has no language of its own worth following; the person's setting is.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        content = bookings_calendar(bookings, name="Officebooking", refresh_interval=FEED_REFRESH)
    response = _calendar_response(content, filename="officebooking.ics", disposition="inline")
    # Private: a shared cache must never hand one person's bookings to another. Short: a
    # revoked token should stop working soon, even in the person's own cache.
    patch_cache_control(response, private=True, max_age=int(FEED_MAX_AGE.total_seconds()))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _feed_urls(token: str) -> tuple[str, str]:
    url = settings.BASE_URL + reverse("calendar_feed", args=[token])
    # webcal:// is the same address; the scheme makes the browser hand it to the calendar app.
    return url, "webcal://" + url.partition("://")[2]


def _live_feed(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


# never_cache: the page that shows a new feed's URL must not be kept in any cache or history.
@never_cache
@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if revoke_calendar_feed(user=request.user):
                messages.success(request, _("Your calendar feed is switched off."))
            return redirect("calendar_settings")
        had_feed = _live_feed(request.user) is not None
        # Rendered, not redirected: the token exists only in this response and is never stored.
        _feed, token = create_calendar_feed(user=request.user)
        context["feed_url"], context["webcal_url"] = _feed_urls(token)
        if had_feed:
            messages.success(
                request,
                _(
                    "You have a new calendar feed link; the old one no longer works. "
                    "Replace it in your calendar app."
                ),
            )
        else:
            messages.success(
                request, _("Your calendar feed is ready. Add the link to your calendar app.")
            )
    context["feed"] = _live_feed(request.user)
    return render(request, "bookings/calendar_settings.html", context)


@member_required
@require_safe
def booking_ics(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Download one of my bookings as an .ics file, to add it to a calendar."""
    booking = get_object_or_404(
        Booking.objects.for_organization(request.organization)
        .filter(user=request.user)
        .select_related("resource__floor__building"),
        pk=booking_id,
    )
    content = bookings_calendar([booking], name="Officebooking")
    response = _calendar_response(
        content, filename=f"booking-{booking.pk}.ics", disposition="attachment"
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
