from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bookings.selectors import upcoming_bookings


@login_required
def home(request: HttpRequest) -> HttpResponse:
    bookings = []
    if request.organization is not None:
        bookings = upcoming_bookings(organization=request.organization, user=request.user)[:20]
    return render(request, "bookings/home.html", {"bookings": bookings})
