from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bookings.models import BookingStatus
from bookings.services import BookingError, create_booking
from locations.models import Closure
from locations.services import save_closure
from profiles.models import AuditAction, AuditEntry
from tests.factories import BookingFactory, FloorFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def close(target, start, end, reason="Renovation"):
    fields = {target._meta.model_name: target}
    return save_closure(
        closure=Closure(
            organization=target.organization, start=start, end=end, reason=reason, **fields
        )
    )


def test_closing_a_floor_cancels_its_bookings_and_tells_the_people(
    floor, desk, employee, mailoutbox, django_capture_on_commit_callbacks
):
    booking = BookingFactory(resource=desk, user=employee)
    with django_capture_on_commit_callbacks(execute=True):
        close(floor, booking.start - timedelta(hours=1), booking.end + timedelta(days=1))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [employee.email]
    assert "Renovation" in mailoutbox[0].body
    assert desk.code in mailoutbox[0].body


def test_a_closure_leaves_other_floors_alone(building, desk, employee):
    booking = BookingFactory(resource=desk, user=employee)
    close(FloorFactory(building=building), booking.start, booking.end)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_closing_a_building_cancels_bookings_on_all_its_floors(building, employee, colleague):
    upstairs = ResourceFactory(floor=FloorFactory(building=building))
    downstairs = ResourceFactory(floor=FloorFactory(building=building))
    first = BookingFactory(resource=upstairs, user=employee)
    second = BookingFactory(resource=downstairs, user=colleague)
    close(building, first.start, first.end)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == BookingStatus.CANCELLED


def test_a_closure_tells_people_in_their_own_language(
    desk, employee, mailoutbox, django_capture_on_commit_callbacks
):
    employee.language = "nl"
    employee.save()
    booking = BookingFactory(resource=desk, user=employee)
    with django_capture_on_commit_callbacks(execute=True):
        close(desk, booking.start, booking.end, reason="Nieuwe vloer")
    assert "geannuleerd" in mailoutbox[0].subject.lower()


def test_a_closed_resource_cannot_be_booked(desk, employee):
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    close(desk, start, start + timedelta(days=1), reason="Broken chair")
    with pytest.raises(BookingError, match="Broken chair"):
        create_booking(user=employee, resource=desk, start=start, end=start + timedelta(hours=2))


def test_a_closure_of_another_organisations_floor_is_invalid(floor, other_organization):
    start = timezone.now() + timedelta(days=1)
    closure = Closure(
        organization=other_organization,
        floor=floor,
        reason="x",
        start=start,
        end=start + timedelta(hours=1),
    )
    with pytest.raises(ValidationError):
        save_closure(closure=closure)
    assert not Closure.objects.exists()


def test_a_closure_must_close_exactly_one_thing(floor, desk):
    start = timezone.now() + timedelta(days=1)
    closure = Closure(
        organization=floor.organization,
        floor=floor,
        resource=desk,
        reason="x",
        start=start,
        end=start + timedelta(hours=1),
    )
    with pytest.raises(ValidationError):
        save_closure(closure=closure)


def test_a_closure_made_by_staff_logs_each_cancelled_booking_with_its_reason(
    floor, desk, employee, facility_manager, mailoutbox, django_capture_on_commit_callbacks
):
    booking = BookingFactory(resource=desk, user=employee)
    with django_capture_on_commit_callbacks(execute=True):
        save_closure(
            closure=Closure(
                organization=floor.organization,
                floor=floor,
                start=booking.start - timedelta(hours=1),
                end=booking.end + timedelta(hours=1),
                reason="Floor cleaning",
            ),
            actor=facility_manager,
        )

    [entry] = AuditEntry.objects.all()
    assert (entry.action, entry.actor, entry.subject, entry.reason) == (
        AuditAction.BOOKING_CANCELLED,
        facility_manager,
        employee,
        "Floor cleaning",
    )
    # The closure notice is the person's one e-mail about it.
    assert len(mailoutbox) == 1
