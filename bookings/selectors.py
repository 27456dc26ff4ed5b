from django.db.models import QuerySet
from django.utils import timezone

from bookings.models import Booking
from profiles.models import Organization, User


def upcoming_bookings(*, organization: Organization, user: User) -> QuerySet[Booking]:
    """Return the person's bookings that hold a resource now or later, soonest first."""
    return (
        Booking.objects.for_organization(organization)
        .active()
        .filter(user=user, end__gt=timezone.now())
        .select_related("resource__floor__building", "check_in")
        .order_by("start")
    )
