from datetime import date, datetime, timedelta

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from bookings import selectors
from bookings.forms import BookForm, CancelForm, ChangeForm, FindForm
from bookings.models import Booking
from bookings.occupancy import has_occupancy_providers
from bookings.policies import effective_policy
from bookings.services import (
    BookingError,
    cancel_booking,
    change_booking,
    create_booking,
    is_staff_change,
    send_confirmation_on_commit,
    toggle_favourite,
)
from locations.models import Resource
from officebooking.http import render_page_or_fragment, safe_next_url
from profiles.decorators import member_required
from profiles.models import STAFF_ROLES

BOOKABLE_DAYS_SHOWN = 10


def _get_resource_for_user(request: HttpRequest, resource_id: int) -> Resource:
    resources = Resource.objects.for_organization(request.organization).select_related(
        "floor__building", "zone"
    )
    return get_object_or_404(resources, pk=resource_id)


def _back_url(staff_change: bool) -> str:
    """Where the dialog's "back" goes: staff changing someone else's booking came from admin."""
    return reverse("admin:bookings_booking_changelist" if staff_change else "my_bookings")


def _get_booking_for_user(request: HttpRequest, booking_id: int) -> Booking:
    bookings = Booking.objects.for_organization(request.organization).select_related(
        "resource__floor__building", "user"
    )
    if request.user.role not in STAFF_ROLES:
        bookings = bookings.filter(Q(user=request.user) | Q(booked_by=request.user))
    return get_object_or_404(bookings, pk=booking_id)


@member_required
def home(request: HttpRequest) -> HttpResponse:
    organization, user = request.organization, request.user
    now = timezone.now()
    upcoming = list(selectors.upcoming_bookings(organization=organization, user=user))
    week_end = now + timedelta(days=7)
    context = {
        "today": [b for b in upcoming if _is_today(b, now)],
        "this_week": [b for b in upcoming if not _is_today(b, now) and b.start < week_end],
        "favourites": selectors.favourite_resources(organization=organization, user=user),
        "colleagues": selectors.colleagues_present(viewer=user, organization=organization),
    }
    return render(request, "bookings/home.html", context)


def _is_today(booking: Booking, now: datetime) -> bool:
    tz = booking.resource.floor.building.tz
    return timezone.localtime(booking.start, tz).date() <= timezone.localtime(now, tz).date()


@member_required
def find(request: HttpRequest) -> HttpResponse:
    form = FindForm(request.GET or None, organization=request.organization, user=request.user)
    search = form.search()
    context = {"form": form, "search": search}
    if search is not None:
        plan = selectors.floor_plan(viewer=request.user, search=search)
        policy = effective_policy(
            organization=request.organization, building=search.building, kind=search.kind
        )
        context |= {
            "plan": plan,
            "free": [item for item in plan if item.is_bookable],
            "closed": policy.opening_period(search.day, search.building.tz) is None,
            "query": _period_query(search),
            "legend_states": _legend_states(),
        }
    return render_page_or_fragment(
        request, "bookings/find.html", "bookings/partials/finder.html", context
    )


def _legend_states() -> list[str]:
    states = [selectors.FREE, selectors.MINE, selectors.BOOKED, selectors.UNAVAILABLE]
    if has_occupancy_providers():
        states.insert(3, selectors.OCCUPIED)
    return states


def _period_query(search: selectors.Search) -> str:
    tz = search.building.tz
    return (
        f"date={search.day.isoformat()}"
        f"&start={timezone.localtime(search.start, tz):%H:%M}"
        f"&end={timezone.localtime(search.end, tz):%H:%M}"
    )


def _bookable_days(
    resource: Resource, first_day: date, request: HttpRequest, limit: int | None
) -> list[date]:
    """Return the open days from `first_day` to the end of the booking horizon, at most `limit`."""
    policy = effective_policy(
        organization=request.organization, building=resource.floor.building, kind=resource.kind
    )
    tz = resource.floor.building.tz
    today = timezone.localdate(timezone=tz)
    last_day = today + timedelta(days=policy.max_days_ahead)
    days = []
    day = max(first_day, today)
    while day <= last_day and (limit is None or len(days) < limit):
        if policy.opening_period(day, tz) is not None:
            days.append(day)
        day += timedelta(days=1)
    return days or [first_day]


@member_required
def book(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Show the booking dialog for a resource, and book it for one or more days."""
    resource = _get_resource_for_user(request, resource_id)
    may_book_for_others = request.user.role in STAFF_ROLES
    today = timezone.localdate(timezone=resource.floor.building.tz)
    first_day = _parse_date(request.GET.get("date")) or today
    is_post = request.method == "POST"
    form_kwargs = {
        "resource": resource,
        "user": request.user,
        # The dialog offers ten days from the searched one; a post may name any open day.
        "days": _bookable_days(
            resource, first_day, request, limit=None if is_post else BOOKABLE_DAYS_SHOWN
        ),
        "may_book_for_others": may_book_for_others,
    }
    results = None
    if is_post:
        form = BookForm(request.POST, **form_kwargs)
        if form.is_valid():
            results = _book_days(request, form, resource)
    else:
        form = BookForm(
            initial={
                "start": request.GET.get("start"),
                "end": request.GET.get("end"),
                "days": [first_day.isoformat()],
            },
            **form_kwargs,
        )
    context = {
        "resource": resource,
        "form": form,
        "results": results,
        "is_favourite": resource.favorited_by.filter(user=request.user).exists(),
    }
    response = render_page_or_fragment(
        request, "bookings/book.html", "bookings/partials/book_dialog.html", context
    )
    if results and any(result["booking"] for result in results):
        # The plan and lists on the page listen for this and reload themselves.
        trigger_client_event(response, "bookingChanged")
    return response


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _book_days(request: HttpRequest, form: BookForm, resource: Resource) -> list[dict]:
    """Book each chosen day on its own, so one taken day doesn't stop the others."""
    person = form.cleaned_data.get("for_user") or request.user
    results = []
    for day, start, end in form.periods():
        try:
            booking = create_booking(
                user=person,
                resource=resource,
                start=start,
                end=end,
                booked_by=request.user,
                note=form.cleaned_data["note"],
                notify=False,
            )
            results.append({"day": day, "booking": booking, "error": ""})
        except BookingError as error:
            results.append({"day": day, "booking": None, "error": str(error)})
    booked = [result["booking"] for result in results if result["booking"]]
    if booked:
        send_confirmation_on_commit(booked)
    return results


@member_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    organization, user = request.organization, request.user
    context = {
        "upcoming": selectors.upcoming_bookings(organization=organization, user=user),
        "past": selectors.past_bookings(organization=organization, user=user),
    }
    return render_page_or_fragment(
        request, "bookings/my_bookings.html", "bookings/partials/my_bookings_lists.html", context
    )


@require_http_methods(["GET", "POST"])
@member_required
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Cancel a booking; GET shows the dialog, where staff give a reason for someone else's."""
    booking = _get_booking_for_user(request, booking_id)
    staff_change = is_staff_change(actor=request.user, booking=booking)
    form = CancelForm(request.POST if request.method == "POST" else None, needs_reason=staff_change)
    if not form.is_valid():
        context = {
            "booking": booking,
            "form": form,
            "staff_change": staff_change,
            "back_url": _back_url(staff_change),
        }
        return render_page_or_fragment(
            request, "bookings/cancel.html", "bookings/partials/cancel_dialog.html", context
        )
    try:
        cancel_booking(
            booking=booking, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
        if staff_change:
            message = _("The booking of %(resource)s is cancelled; the person is told by e-mail.")
        else:
            message = _("Your booking of %(resource)s is cancelled.")
        messages.success(request, message % {"resource": booking.resource})
    except BookingError as error:
        messages.error(request, str(error))
    if request.htmx:
        response = HttpResponse(status=204)
        trigger_client_event(response, "bookingChanged")
        return response
    return redirect(safe_next_url(request, _back_url(staff_change)))


@member_required
def change(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Move an upcoming booking: another day, other times or another place of its kind."""
    booking = _get_booking_for_user(request, booking_id)
    tz = booking.resource.floor.building.tz
    needs_reason = is_staff_change(actor=request.user, booking=booking)
    if request.method == "POST":
        form = ChangeForm(request.POST, booking=booking, needs_reason=needs_reason)
        if form.is_valid():
            start, end = form.period()
            try:
                change_booking(
                    booking=booking,
                    actor=request.user,
                    resource=form.cleaned_data["resource"],
                    start=start,
                    end=end,
                    reason=form.cleaned_data.get("reason", ""),
                )
                if request.htmx:
                    booking.refresh_from_db()
                    context = {
                        "booking": booking,
                        "staff_change": needs_reason,
                        "back_url": _back_url(needs_reason),
                    }
                    response = render(request, "bookings/partials/change_done.html", context)
                    trigger_client_event(response, "bookingChanged")
                    return response
                if needs_reason:
                    messages.success(
                        request, _("The booking is changed; the person is told by e-mail.")
                    )
                else:
                    messages.success(request, _("Your booking is changed."))
                return redirect(_back_url(needs_reason))
            except BookingError as error:
                form.add_error(None, str(error))
    else:
        form = ChangeForm(
            booking=booking,
            needs_reason=needs_reason,
            initial={
                "date": timezone.localtime(booking.start, tz).date(),
                "start": timezone.localtime(booking.start, tz).strftime("%H:%M"),
                "end": timezone.localtime(booking.end, tz).strftime("%H:%M"),
                "resource": booking.resource,
            },
        )
    context = {
        "booking": booking,
        "form": form,
        "staff_change": needs_reason,
        "back_url": _back_url(needs_reason),
    }
    return render_page_or_fragment(
        request, "bookings/change.html", "bookings/partials/change_dialog.html", context
    )


@require_POST
@member_required
def favourite(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = _get_resource_for_user(request, resource_id)
    is_favourite = toggle_favourite(user=request.user, resource=resource)
    if request.htmx:
        return render(
            request,
            "bookings/partials/favourite_button.html",
            {"resource": resource, "is_favourite": is_favourite},
        )
    return redirect(safe_next_url(request, reverse("home")))


@require_POST
@member_required
def book_favourite(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Book a starred resource for its next bookable day, for the building's usual hours."""
    resource = _get_resource_for_user(request, resource_id)
    building = resource.floor.building
    policy = effective_policy(
        organization=request.organization, building=building, kind=resource.kind
    )
    period = selectors.next_bookable_period(policy, building.tz, timezone.now())
    try:
        if period is None:
            raise BookingError(_("The building has no opening hours left to book."))
        booking = create_booking(
            user=request.user, resource=resource, start=period[0], end=period[1]
        )
        day = timezone.localtime(booking.start, building.tz).date()
        messages.success(
            request,
            _("Booked %(resource)s for %(day)s.")
            % {"resource": booking.resource, "day": _format_day(day)},
        )
    except BookingError as error:
        messages.error(request, str(error))
    return redirect("home")


def _format_day(day: date) -> str:
    return formats.date_format(day, "l j F")


@cache_control(max_age=86400)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: "add to home screen" opens the app on the Today page."""
    data = {
        "name": "Officebooking",
        "short_name": "Officebooking",
        "description": _("Book desks, meeting rooms and parking spots."),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f6f9",
        "theme_color": "#1f5f8b",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")
