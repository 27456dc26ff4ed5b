from collections.abc import Iterable

from django.core.files.storage import Storage
from django.db import transaction

from locations.models import Closure, Floor, Resource, new_checkin_token
from locations.signals import closure_saved
from profiles.audit import record_staff_change
from profiles.models import AuditAction, User


@transaction.atomic
def save_closure(*, closure: Closure, actor: User | None = None) -> Closure:
    """Validate and save a closure, then let the bookings it covers be cancelled.

    With an `actor` (someone of staff), each cancelled booking goes into the audit log.
    """
    closure.full_clean()
    closure.save()
    # Receivers run inside this transaction: the closure and the cancellations it causes
    # land together or not at all.
    closure_saved.send(sender=Closure, closure=closure, actor=actor)
    return closure


@transaction.atomic
def save_floor(*, floor: Floor) -> Floor:
    """Validate and save a floor; a plan it replaces or clears is deleted once that commits."""
    floor.full_clean()
    old_plan = ""
    if floor.pk:
        # Locked: two people replacing the plan at once would otherwise both delete the
        # original, and the first one's new plan would stay on disk for ever.
        stored = Floor.objects.select_for_update().filter(pk=floor.pk)
        old_plan = stored.values_list("plan_image", flat=True).first() or ""
    floor.save()
    if old_plan and old_plan != floor.plan_image.name:
        delete_file_on_commit(floor.plan_image.storage, old_plan)
    return floor


def delete_file_on_commit(storage: Storage, name: str) -> None:
    """Delete a stored file once the transaction commits; a rollback still needs it."""
    transaction.on_commit(lambda: storage.delete(name))


def describe_resource(resource: Resource) -> str:
    """Return a short description of the resource for the audit log: code, floor, building."""
    floor = resource.floor
    return f"{resource.code} · {floor.name} · {floor.building.name}"


@transaction.atomic
def rotate_checkin_token(*, resource: Resource, actor: User | None = None) -> Resource:
    """Give the resource a new check-in token; printed codes with the old one stop working.

    With an `actor` (someone of staff), the change goes into the audit log.
    """
    resource.checkin_token = new_checkin_token()
    resource.save(update_fields=["checkin_token"])
    if actor is not None:
        record_staff_change(
            actor=actor,
            organization=resource.organization_id,
            action=AuditAction.CHECKIN_TOKEN_ROTATED,
            obj=resource,
            description=describe_resource(resource),
            time_zone=resource.floor.building.time_zone,
        )
    return resource


rotate_checkin_token.alters_data = True


def _record_bookable_change(*, resource: Resource, actor: User) -> None:
    is_active = resource.is_active
    record_staff_change(
        actor=actor,
        organization=resource.organization_id,
        action=AuditAction.RESOURCE_ACTIVATED if is_active else AuditAction.RESOURCE_DEACTIVATED,
        obj=resource,
        description=describe_resource(resource),
        changes={"is_active": [not is_active, is_active]},
        time_zone=resource.floor.building.time_zone,
    )


@transaction.atomic
def set_resources_bookable(*, resources: Iterable[Resource], is_active: bool, actor: User) -> int:
    """Make the resources bookable or not, logging each one that changed; return how many."""
    changed = 0
    for resource in resources:
        if resource.is_active == is_active:
            continue
        resource.is_active = is_active
        resource.save(update_fields=["is_active"])
        _record_bookable_change(resource=resource, actor=actor)
        changed += 1
    return changed


set_resources_bookable.alters_data = True


@transaction.atomic
def save_resource(*, resource: Resource, actor: User) -> Resource:
    """Save a resource edited by staff; making it bookable or not is logged as the action is."""
    was_active = None
    if resource.pk:
        was_active = (
            Resource.objects.select_for_update()
            .filter(pk=resource.pk)
            .values_list("is_active", flat=True)
            .first()
        )
    resource.save()
    if was_active is not None and was_active != resource.is_active:
        _record_bookable_change(resource=resource, actor=actor)
    return resource


save_resource.alters_data = True
