from django.db import transaction
from django.db.models.signals import post_delete, post_save

from bookings.models import BookingPolicy, ClosedDay, OpeningHours
from bookings.policies import forget_policies
from bookings.services import cancel_bookings_for_closure
from locations.signals import closure_saved


def _cancel_covered_bookings(sender, closure, actor=None, **kwargs) -> None:
    cancel_bookings_for_closure(closure=closure, actor=actor)


def _forget_cached_policies(sender, instance, **kwargs) -> None:
    if isinstance(instance, BookingPolicy):
        organization_id = instance.organization_id
    else:
        # None when the policy itself is being deleted: its own signal covers that.
        organization_id = (
            BookingPolicy.objects.filter(pk=instance.policy_id)
            .values_list("organization_id", flat=True)
            .first()
        )
    if organization_id is None:
        return
    forget_policies(organization_id=organization_id)
    # Again after commit: a booking that read the old rows meanwhile may have cached them.
    transaction.on_commit(lambda: forget_policies(organization_id=organization_id))


def connect() -> None:
    closure_saved.connect(_cancel_covered_bookings, dispatch_uid="bookings.closure_cancels")
    for model in (BookingPolicy, OpeningHours, ClosedDay):
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_cached_policies,
                sender=model,
                dispatch_uid=f"bookings.forget_policies.{model.__name__}.{signal}",
            )
