"""The page behind the QR code on a resource, and its one-tap actions.

The page itself never writes: a link preview or a prefetch must not check anyone in. Every
action is a POST that redirects back to the page, which then shows the new state.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bookings import selectors
from bookings.models import CheckInMethod
from bookings.services import BookingError, check_in, check_out, walk_in
from bookings.templatetags.bookings_tags import duration, local_time
from locations.models import Resource
from profiles.decorators import member_required
from profiles.visibility import may_offer_presence_sharing, share_presence_default


def _get_resource_by_token(request: HttpRequest, token: str) -> Resource | None:
    # Another organisation's code answers exactly like a made-up or rotated one.
    resources = Resource.objects.for_organization(request.organization).select_related(
        "floor__building"
    )
    return resources.filter(checkin_token=token).first()


def _not_valid(request: HttpRequest) -> HttpResponse:
    return render(request, "bookings/checkin/not_valid.html", status=404)


def _shares_presence(request: HttpRequest) -> bool:
    return may_offer_presence_sharing(request.user) and request.POST.get("share_presence") == "on"


def _book_query(landing: selectors.Landing) -> str:
    """Return the query that opens the booking dialog on the rest of today's free time."""
    if landing.free_from is None or landing.free_until is None:
        return ""
    tz = landing.resource.floor.building.tz
    start = timezone.localtime(landing.free_from, tz)
    end = timezone.localtime(landing.free_until, tz)
    return f"date={start.date().isoformat()}&start={start:%H:%M}&end={end:%H:%M}"


@member_required
def landing(request: HttpRequest, token: str) -> HttpResponse:
    resource = _get_resource_by_token(request, token)
    if resource is None:
        return _not_valid(request)
    landing = selectors.checkin_landing(user=request.user, resource=resource, now=timezone.now())
    context = {
        "landing": landing,
        "book_query": _book_query(landing),
        "token": token,
        "offer_sharing": may_offer_presence_sharing(request.user),
        "share_by_default": share_presence_default(request.user),
    }
    return render(request, "bookings/checkin/landing.html", context)


@require_POST
@member_required
def check_in_here(request: HttpRequest, token: str) -> HttpResponse:
    resource = _get_resource_by_token(request, token)
    if resource is None:
        return _not_valid(request)
    now = timezone.now()
    landing = selectors.checkin_landing(user=request.user, resource=resource, now=now)
    try:
        if landing.case not in (selectors.CHECK_IN, selectors.NOT_OPEN):
            raise BookingError(_("You have no booking here to check in to."))
        check_in(
            booking=landing.booking,
            method=CheckInMethod.QR,
            shares_presence=_shares_presence(request),
            now=now,
        )
    except BookingError as error:
        messages.error(request, str(error))
    return redirect("checkin", token=token)


@require_POST
@member_required
def walk_in_here(request: HttpRequest, token: str) -> HttpResponse:
    resource = _get_resource_by_token(request, token)
    if resource is None:
        return _not_valid(request)
    try:
        walk_in(user=request.user, resource=resource, shares_presence=_shares_presence(request))
    except BookingError as error:
        messages.error(request, str(error))
    return redirect("checkin", token=token)


@require_POST
@member_required
def check_out_here(request: HttpRequest, token: str) -> HttpResponse:
    resource = _get_resource_by_token(request, token)
    if resource is None:
        return _not_valid(request)
    now = timezone.now()
    landing = selectors.checkin_landing(user=request.user, resource=resource, now=now)
    try:
        if landing.case != selectors.CHECKED_IN:
            raise BookingError(_("You are not checked in here."))
        record = check_out(booking=landing.booking, now=now)
        messages.success(
            request,
            _("Checked out at %(time)s, after %(duration)s.")
            % {
                "time": local_time(record.checked_out_at, resource.floor.building),
                "duration": duration(record.duration),
            },
        )
    except BookingError as error:
        messages.error(request, str(error))
    return redirect("checkin", token=token)
