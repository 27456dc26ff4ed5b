from django.urls import include, path

from bookings import views

urlpatterns = [
    path("", views.home, name="home"),
    path("find/", views.find, name="find"),
    path("resources/<int:resource_id>/book/", views.book, name="book"),
    path("resources/<int:resource_id>/favourite/", views.favourite, name="favourite"),
    path(
        "resources/<int:resource_id>/book-favourite/", views.book_favourite, name="book_favourite"
    ),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel_booking"),
    path("bookings/<int:booking_id>/change/", views.change, name="change_booking"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("", include("bookings.calendar_urls")),
    path("", include("bookings.checkin_urls")),
]
