import pytest

from tests.factories import BookingFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_factory_makes_a_verified_member_with_a_profile():
    user = UserFactory()
    assert user.organization is not None
    assert user.profile is not None
    assert user.emailaddress_set.get().verified


def test_booking_factory_makes_a_booking_of_the_resources_organization():
    booking = BookingFactory()
    assert booking.organization == booking.resource.organization == booking.user.organization
