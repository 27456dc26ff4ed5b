from django.urls import path

from bookings import checkin_views

# Short: the first one is printed on every resource as a QR code, and must never change.
urlpatterns = [
    path("c/<str:token>/", checkin_views.landing, name="checkin"),
    path("c/<str:token>/check-in/", checkin_views.check_in_here, name="checkin_check_in"),
    path("c/<str:token>/walk-in/", checkin_views.walk_in_here, name="checkin_walk_in"),
    path("c/<str:token>/check-out/", checkin_views.check_out_here, name="checkin_check_out"),
]
