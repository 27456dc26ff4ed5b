from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bookings.models import Booking, BookingPolicy, CheckIn, ClosedDay, OpeningHours
from bookings.services import BookingError, cancel_booking, describe_booking
from profiles.admin_scoping import OrganizationScopedAdmin, ScopedTabularInline
from profiles.models import User


class ReadOnlyAdmin(OrganizationScopedAdmin):
    """Bookings are written by bookings/services.py only; admin shows them and calls services.

    In strict mode OrganizationScopedAdmin leaves out every column, field, filter and search
    that names the person: staff see only aggregate numbers, never one person's attendance.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CancelReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Each person gets an e-mail with the booking you cancelled and this reason."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["resource", "user", "start", "end", "status", "booked_by"]
    list_filter = ["status", "resource_kind", "resource__floor__building", "resource__floor"]
    list_select_related = ["resource__floor__building", "user", "booked_by"]
    search_fields = ["resource__code", "user__email", "user__full_name"]
    date_hierarchy = "start"
    actions = ["cancel_selected"]
    person_record = "booking"

    def person_of(self, obj: Booking) -> User:
        return obj.user

    @admin.action(description=_("Cancel the selected bookings"), permissions=["view"])
    def cancel_selected(self, request, queryset):
        """Ask for a reason on a confirmation page, like the delete action, then cancel."""
        bookings = queryset.select_related("user", "resource__floor__building")
        # Only the confirmation page posts "post"; the changelist's first post shows the page.
        form = CancelReasonForm(request.POST if "post" in request.POST else None)
        if not form.is_valid():
            return self._cancel_confirmation(request, bookings, form)
        cancelled, refused = 0, 0
        for booking in bookings:
            try:
                cancel_booking(
                    booking=booking, actor=request.user, reason=form.cleaned_data["reason"]
                )
                cancelled += 1
            except BookingError:
                refused += 1
        if cancelled:
            messages.success(
                request,
                ngettext("%d booking cancelled.", "%d bookings cancelled.", cancelled) % cancelled,
            )
        if refused:
            messages.warning(
                request,
                ngettext(
                    "%d booking could not be cancelled (already over, checked in or cancelled).",
                    "%d bookings could not be cancelled (already over, checked in or cancelled).",
                    refused,
                )
                % refused,
            )

    def _cancel_confirmation(self, request, bookings, form) -> TemplateResponse:
        show_people = not self._hides_people(request)
        rows = [
            {
                "pk": booking.pk,
                "description": describe_booking(booking),
                # The description's times are the building's; the admin's own are UTC.
                "zone": timezone.localtime(
                    booking.start, booking.resource.floor.building.tz
                ).tzname(),
                "person": booking.user.display_name if show_people else "",
            }
            for booking in bookings
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel the selected bookings"),
            "opts": self.model._meta,
            "rows": rows,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/bookings/booking/cancel_selected_confirmation.html", context
        )


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["booking", "user", "checked_in_at", "checked_out_at", "method"]
    list_filter = ["method", "booking__resource__floor__building"]
    list_select_related = ["booking__resource__floor__building", "user"]
    search_fields = ["user__email", "user__full_name", "booking__resource__code"]
    date_hierarchy = "checked_in_at"
    person_record = "check-in"

    def person_of(self, obj: CheckIn) -> User:
        return obj.user


class OpeningHoursInline(ScopedTabularInline):
    model = OpeningHours
    extra = 0
    max_num = 7


class ClosedDayInline(ScopedTabularInline):
    model = ClosedDay
    extra = 0


@admin.register(BookingPolicy)
class BookingPolicyAdmin(OrganizationScopedAdmin):
    list_display = [
        "resource_kind",
        "building",
        "max_days_ahead",
        "max_bookings_per_day",
        "release_after_minutes",
    ]
    list_filter = ["resource_kind", "building"]
    inlines = [OpeningHoursInline, ClosedDayInline]
    fieldsets = [
        (None, {"fields": ["resource_kind", "building"]}),
        (
            _("Rules (empty: inherit from the organisation's policy or the default)"),
            {
                "fields": [
                    "max_days_ahead",
                    "min_duration_minutes",
                    "max_duration_minutes",
                    "slot_minutes",
                    "max_bookings_per_day",
                ]
            },
        ),
        (
            _("Check-in"),
            {"fields": ["checkin_opens_minutes", "release_after_minutes", "auto_release"]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if request.user.is_superuser:
            fieldsets[0] = (None, {"fields": ["organization", "resource_kind", "building"]})
        return fieldsets
