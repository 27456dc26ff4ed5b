from bookings.services import cancel_bookings_for_closure
from locations.signals import closure_saved


def _cancel_covered_bookings(sender, closure, **kwargs) -> None:
    cancel_bookings_for_closure(closure=closure)


def connect() -> None:
    closure_saved.connect(_cancel_covered_bookings, dispatch_uid="bookings.closure_cancels")
