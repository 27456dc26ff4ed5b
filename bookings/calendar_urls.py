from django.urls import path

from bookings import calendar_views

urlpatterns = [
    path("calendar/", calendar_views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path(
        "bookings/<int:booking_id>/calendar.ics",
        calendar_views.booking_ics,
        name="booking_ics",
    ),
]
