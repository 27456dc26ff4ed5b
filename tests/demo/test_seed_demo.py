"""`manage.py seed_demo`: what it creates, that a second run duplicates nothing, and that
every demo login works straight away."""

from dataclasses import dataclass
from datetime import time, timedelta
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from bookings.models import Booking, BookingPolicy, BookingStatus, OpeningHours
from bookings.services import cancel_booking
from demo.organizations import ACME
from demo.people import DEMO_PASSWORD, SUPERUSER_EMAIL
from locations.models import Building, Floor, Resource, ResourceKind, Zone
from profiles.models import EmailDomain, Organization, Profile, Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


@dataclass(frozen=True)
class Seeded:
    output: str
    media_root: Path


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for the whole module, in a transaction rolled back after its last test.

    A run books a few hundred times through the service and takes seconds; each test still
    runs in its own savepoint inside this transaction, so none sees another's changes.
    """
    media_root = tmp_path_factory.mktemp("seed-media")
    fast_hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=fast_hashers),
        transaction.atomic(),
    ):
        yield Seeded(output=seed(), media_root=media_root)
        transaction.set_rollback(True)


@pytest.fixture
def output(seeded, settings):
    # The plan images were stored in the module's media directory, not this test's.
    settings.MEDIA_ROOT = seeded.media_root
    return seeded.output


@pytest.fixture
def acme(output):
    return Organization.objects.get(slug="acme")


@pytest.fixture
def globex(output):
    return Organization.objects.get(slug="globex")


def _log_in(email: str):
    return Client().post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})


def _counts() -> dict[str, int]:
    models = [
        Organization,
        EmailDomain,
        Building,
        Floor,
        Zone,
        Resource,
        Resource.amenities.through,
        BookingPolicy,
        OpeningHours,
        User,
        Profile,
        EmailAddress,
        Booking,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_creates_acme_and_globex_with_their_email_domains(acme, globex):
    assert acme.name == "Acme"
    assert list(acme.email_domains.values_list("domain", flat=True)) == ["acme.example"]
    assert list(globex.email_domains.values_list("domain", flat=True)) == ["globex.example"]


def test_acme_has_billing_details_and_a_subscription_a_year_ahead(acme):
    assert acme.city == "Amsterdam"
    assert acme.vat_number
    assert acme.subscription_ends_on > timezone.localdate() + timedelta(days=360)


def test_acme_has_two_buildings_in_different_time_zones(acme):
    buildings = Building.objects.for_organization(acme)

    assert buildings.count() == 2
    assert {b.time_zone for b in buildings} == {"Europe/Amsterdam", "America/New_York"}
    assert buildings.get(time_zone="Europe/Amsterdam").latitude is not None


def test_acme_has_three_floors_with_readable_plan_images_of_the_floor_size(acme):
    floors = Floor.objects.for_organization(acme)

    assert floors.count() == 3
    for floor in floors:
        with floor.plan_image.open("rb"), Image.open(floor.plan_image) as image:
            assert image.format == "PNG"
            assert image.size == (floor.width, floor.height)


def test_every_resource_sits_on_its_floor_plan_and_validates(output):
    for resource in Resource.objects.select_related("floor", "zone"):
        resource.full_clean()
        assert 0 < resource.x < resource.floor.width
        assert 0 < resource.y < resource.floor.height


def test_acme_has_over_a_hundred_desks_in_zones_with_amenities(acme):
    desks = Resource.objects.for_organization(acme).filter(kind=ResourceKind.DESK)

    assert desks.count() >= 100
    assert not desks.filter(zone=None).exists()
    assert desks.filter(amenities__slug="standing-desk").exists()
    assert desks.filter(amenities__slug="window").exists()
    assert Zone.objects.for_organization(acme).count() >= 4


def test_acme_has_meeting_rooms_for_4_to_12_people_and_parking_with_ev_chargers(acme):
    resources = Resource.objects.for_organization(acme)
    rooms = resources.filter(kind=ResourceKind.MEETING_ROOM)
    parking = resources.filter(kind=ResourceKind.PARKING_SPOT)

    assert rooms.count() >= 3
    assert {room.capacity for room in rooms} <= set(range(4, 13))
    assert rooms.filter(amenities__slug="video-conferencing").exists()
    assert parking.filter(amenities__slug="ev-charger").exists()
    assert parking.exclude(amenities__slug="ev-charger").exists()


def test_acme_has_a_policy_per_resource_kind_open_on_weekdays_only(acme):
    policies = BookingPolicy.objects.for_organization(acme).filter(building=None)

    assert {p.resource_kind for p in policies} == set(ResourceKind.values)
    for policy in policies:
        hours = {row.weekday: row for row in policy.hours.all()}
        assert hours[0].opens == time(7) and hours[0].closes == time(20)
        assert hours[5].closed and hours[6].closed


def test_acme_has_25_people_who_book_in_every_role_and_30_who_never_do(acme):
    roles = list(User.objects.for_organization(acme).values_list("membership__role", flat=True))

    assert len(roles) == 25 + 30
    assert set(roles) == set(Role.values)
    assert roles.count(Role.ORGANIZATION_ADMIN) == 1
    assert 2 <= roles.count(Role.FACILITY_MANAGER) <= 3


def test_some_people_opted_in_to_being_visible_and_others_did_not(acme):
    profiles = Profile.objects.for_organization(acme)

    assert profiles.filter(findable=True, name_on_plans=True, share_presence_by_default=True)
    assert profiles.filter(findable=False, name_on_plans=False, share_presence_by_default=False)
    assert profiles.exclude(default_building=None)


def test_bookings_fill_the_coming_two_weeks_for_both_organisations(acme, globex):
    now = timezone.now()
    for organization in (acme, globex):
        # The past weeks are history, played out for the dashboard (tested below).
        bookings = Booking.objects.for_organization(organization).filter(
            start__gte=now - timedelta(minutes=30)
        )
        days = {booking.start.date() for booking in bookings}

        assert bookings.filter(resource_kind=ResourceKind.DESK).exists()
        assert len(days) >= 5
        # The service allows the current half hour, so a booking may start minutes ago.
        assert all(
            now - timedelta(minutes=30) < b.start < now + timedelta(days=14) for b in bookings
        )


def test_desk_bookings_lie_on_half_hours_in_the_buildings_opening_hours(acme):
    desk_bookings = Booking.objects.for_organization(acme).filter(
        resource_kind=ResourceKind.DESK, status=BookingStatus.CONFIRMED
    )
    for booking in desk_bookings.select_related("resource__floor__building"):
        building = booking.resource.floor.building
        start = timezone.localtime(booking.start, building.tz)
        end = timezone.localtime(booking.end, building.tz)
        opens, closes = (8, 18) if building.time_zone == "America/New_York" else (7, 20)

        assert start.weekday() < 5
        assert start.minute in (0, 30) and end.minute in (0, 30)
        assert time(opens) <= start.time() and end.time() <= time(closes)


def test_nobody_holds_two_desks_on_one_day(output):
    desk_bookings = Booking.objects.filter(resource_kind=ResourceKind.DESK)
    person_days = [(b.user_id, b.start.date()) for b in desk_bookings]

    assert len(person_days) == len(set(person_days))


def test_globex_bookings_stay_inside_globex(globex):
    bookings = Booking.objects.for_organization(globex).select_related("resource", "user")

    assert bookings.exists()
    for booking in bookings:
        assert booking.resource.organization_id == globex.pk
        assert booking.user.organization == globex


def test_running_twice_duplicates_nothing(output):
    before = _counts()
    plans = sorted(Floor.objects.values_list("plan_image", flat=True))

    second_output = seed()

    assert _counts() == before
    assert sorted(Floor.objects.values_list("plan_image", flat=True)) == plans
    assert "0 booking(s) added" in second_output


def test_a_second_run_gives_back_a_desk_to_someone_whose_booking_was_cancelled(acme):
    booking = (
        Booking.objects.for_organization(acme)
        .filter(resource_kind=ResourceKind.DESK, start__gt=timezone.now() + timedelta(days=1))
        .first()
    )
    cancel_booking(booking=booking, actor=booking.user)

    seed()

    rebooked = Booking.objects.active().filter(
        user=booking.user, resource_kind=ResourceKind.DESK, start__date=booking.start.date()
    )
    assert rebooked.count() == 1


def test_every_acme_person_can_log_in_with_the_demo_password(acme):
    for user in User.objects.for_organization(acme):
        if not user.has_usable_password():  # the quiet colleagues
            continue
        response = _log_in(user.email)

        assert response.status_code == 302, user.email
        assert response["Location"] == "/"


def test_globex_people_and_the_superuser_can_log_in(globex):
    emails = [*User.objects.for_organization(globex).values_list("email", flat=True)]
    for email in [*emails, SUPERUSER_EMAIL]:
        response = _log_in(email)

        assert response.status_code == 302, email
        assert response["Location"] == "/"


def test_output_lists_the_password_and_every_login_with_its_role(output):
    assert DEMO_PASSWORD in output
    for user in User.objects.select_related("membership"):
        if not user.has_usable_password():  # the quiet colleagues
            continue
        line = next(line for line in output.splitlines() if user.email in line)
        if user.is_superuser:
            assert "superuser" in line
        else:
            assert str(user.membership.get_role_display()) in line


def test_output_says_the_superuser_sets_up_two_factor_before_the_admin(output):
    assert "set up two-factor authentication" in output


def test_the_past_weeks_are_played_out_and_counted_for_the_dashboard(acme):
    from privacy.models import BuildingDayStatistic

    past = Booking.objects.for_organization(acme).filter(
        start__lt=timezone.now() - timedelta(days=1)
    )
    assert past.filter(status=BookingStatus.COMPLETED).exists()
    assert past.filter(status=BookingStatus.RELEASED).exists()
    assert BuildingDayStatistic.objects.filter(organization_id=acme.pk, people__gte=5).exists()


def test_the_dashboard_shows_where_amsterdam_people_come_from(acme):
    manager = User.objects.get(email="femke@acme.example")
    amsterdam = Building.objects.get(organization=acme, time_zone="Europe/Amsterdam")
    client = Client()
    client.force_login(manager)

    response = client.get(reverse("facility_dashboard"), {"building": amsterdam.pk})

    # 25 people live in 1011: the noise would have to take off 18 to hide it.
    assert "1011" in [row.area for row in response.context["mobility"]]


def test_the_quiet_colleagues_cannot_log_in(acme):
    quiet = User.objects.for_organization(acme).filter(
        email__in=[person.email for person in ACME.quiet_people]
    )

    assert quiet.count() == 30
    assert not Booking.objects.filter(user__in=quiet).exists()
    assert not any(user.has_usable_password() for user in quiet)
