"""Factories: each yields a valid row with no arguments.

Bookings made here bypass bookings/services.py on purpose: tests use them to set the scene.
Tests of the booking rules call the services.
"""

from datetime import UTC, datetime, timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from bookings.models import Booking, BookingPolicy, BookingStatus, CheckIn, OpeningHours
from locations.models import Building, Closure, Floor, Resource, ResourceKind, Zone
from profiles import roles
from profiles.models import EmailDomain, Membership, Organization, Profile, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"
# The TOTP secret of every authenticator made here; tests derive codes from it.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    country = "NL"

    @factory.post_generation
    def domain(organization, create, extracted, **kwargs):
        if create:
            EmailDomain.objects.create(
                organization=organization, domain=extracted or f"{organization.slug}.example"
            )


class UserFactory(factory.django.DjangoModelFactory):
    """A verified member of an organisation, with a profile; role employee unless told."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    # Not User fields: _create() takes them off before the user is saved.
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.EMPLOYEE

    email = factory.LazyAttributeSequence(
        lambda o, n: f"person{n}@{o.organization.email_domains.first().domain}"
    )
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def membership(user, create, extracted, **kwargs):
        if not create:
            return
        organization = user._organization
        Membership.objects.create(user=user, organization=organization, role=user._role)
        Profile.objects.create(user=user, **kwargs)
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        group = roles.group_for_role(user._role)
        if group:
            user.groups.add(group)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Params are not model fields; keep them on the instance for post_generation.
        organization = kwargs.pop("organization", None)
        role = kwargs.pop("role", Role.EMPLOYEE)
        user = super()._create(model_class, *args, **kwargs)
        user._organization, user._role = organization, role
        return user


class TOTPAuthenticatorFactory(factory.django.DjangoModelFactory):
    """An activated authenticator app (TOTP) for the person, with TEST_TOTP_SECRET."""

    class Meta:
        model = Authenticator

    user = factory.SubFactory(UserFactory)
    type = Authenticator.Type.TOTP
    data = factory.LazyFunction(lambda: {"secret": encrypt(TEST_TOTP_SECRET)})


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Building {n}")
    city = "Amsterdam"
    country = "NL"
    time_zone = "Europe/Amsterdam"


class FloorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Floor

    building = factory.SubFactory(BuildingFactory)
    organization = factory.SelfAttribute("building.organization")
    name = factory.Sequence(lambda n: f"Floor {n}")
    level = 0


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    floor = factory.SubFactory(FloorFactory)
    organization = factory.SelfAttribute("floor.organization")
    name = factory.Sequence(lambda n: f"Zone {n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    floor = factory.SubFactory(FloorFactory)
    organization = factory.SelfAttribute("floor.organization")
    kind = ResourceKind.DESK
    code = factory.Sequence(lambda n: f"D{n:03d}")
    x = factory.Sequence(lambda n: (n * 40) % 1100 + 20)
    y = factory.Sequence(lambda n: (n * 40) // 1100 * 40 + 20)


class BookingPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BookingPolicy

    organization = factory.SubFactory(OrganizationFactory)
    resource_kind = ResourceKind.DESK


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    policy = factory.SubFactory(BookingPolicyFactory)
    weekday = 0


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    resource = factory.SubFactory(ResourceFactory)
    organization = factory.SelfAttribute("resource.organization")
    resource_kind = factory.SelfAttribute("resource.kind")
    user = factory.SubFactory(UserFactory, organization=factory.SelfAttribute("..organization"))
    start = factory.LazyFunction(
        lambda: datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=8))
    status = BookingStatus.CONFIRMED


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    booking = factory.SubFactory(BookingFactory, status=BookingStatus.CHECKED_IN)
    organization = factory.SelfAttribute("booking.organization")
    user = factory.SelfAttribute("booking.user")
    checked_in_at = factory.SelfAttribute("booking.start")
    method = "web"


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    resource = factory.SubFactory(ResourceFactory)
    organization = factory.SelfAttribute("resource.organization")
    start = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(days=1))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(days=1))
    reason = "Maintenance"
