from django.db import transaction

from locations.models import Closure, Resource, new_checkin_token
from locations.signals import closure_saved


class LocationError(Exception):
    """A broken location rule; str() is shown to the user."""


@transaction.atomic
def save_closure(*, closure: Closure) -> Closure:
    """Validate and save a closure, then let the bookings it covers be cancelled."""
    closure.full_clean()
    closure.save()
    # Receivers run inside this transaction: the closure and the cancellations it causes
    # land together or not at all.
    closure_saved.send(sender=Closure, closure=closure)
    return closure


def rotate_checkin_token(*, resource: Resource) -> Resource:
    """Give the resource a new check-in token; printed codes with the old one stop working."""
    resource.checkin_token = new_checkin_token()
    resource.save(update_fields=["checkin_token"])
    return resource


rotate_checkin_token.alters_data = True
