"""The page behind a resource's QR code: every case it can show, and its one-tap actions."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse

from bookings import selectors
from bookings.models import Booking, BookingStatus, CheckIn, CheckInMethod
from locations.models import ResourceKind
from locations.services import rotate_checkin_token
from tests.clock import at, stop_clock
from tests.factories import (
    TEST_PASSWORD,
    BookingFactory,
    BookingPolicyFactory,
    CheckInFactory,
    ClosureFactory,
    FloorFactory,
    OpeningHoursFactory,
    ResourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# A Thursday, 09:00 in Amsterdam.
NOW = datetime(2025, 3, 27, 8, 0, tzinfo=UTC)
THURSDAY = NOW.date()


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Stop the clock at NOW for the views, the services and the session alike."""
    return stop_clock(monkeypatch, NOW)


@pytest.fixture
def office_hours(organization):
    """Desks open 08:00-18:00 on Thursdays."""
    policy = BookingPolicyFactory(organization=organization, resource_kind=ResourceKind.DESK)
    return OpeningHoursFactory(policy=policy, weekday=3, opens=time(8), closes=time(18))


def book(resource, user, start: str, end: str, **kwargs) -> Booking:
    building = resource.floor.building
    return BookingFactory(
        resource=resource,
        user=user,
        start=at(building, THURSDAY, start),
        end=at(building, THURSDAY, end),
        **kwargs,
    )


def landing_url(resource) -> str:
    return reverse("checkin", args=[resource.checkin_token])


def action_url(name: str, resource) -> str:
    return reverse(name, args=[resource.checkin_token])


def same_page(response, path: str) -> str:
    """Return the page without what differs by request: its own path and CSRF tokens."""
    html = response.content.decode().replace(path, "")
    return re.sub(r"[A-Za-z0-9]{64}", "", html)


# Logging in.


def test_a_scan_when_logged_out_asks_to_log_in_first(client, desk):
    response = client.get(landing_url(desk))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={landing_url(desk)}"


def test_after_logging_in_the_person_is_back_on_the_same_page(client, employee, desk):
    login_page = client.get(landing_url(desk), follow=True)
    assert login_page.request["PATH_INFO"] == reverse("account_login")

    response = client.post(
        f"{reverse('account_login')}?next={landing_url(desk)}",
        {"login": employee.email, "password": TEST_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == landing_url(desk)
    assert response.templates[0].name == "bookings/checkin/landing.html"
    assert str(desk) in response.content.decode()


# Codes that don't work.


def test_another_organisations_code_and_a_rotated_code_get_the_same_not_valid_page(
    client, employee, desk, foreign_desk
):
    old_url = landing_url(desk)
    rotate_checkin_token(resource=desk)
    client.force_login(employee)

    foreign = client.get(landing_url(foreign_desk))
    rotated = client.get(old_url)

    assert foreign.status_code == rotated.status_code == 404
    assert "This code is not valid" in foreign.content.decode()
    assert same_page(foreign, landing_url(foreign_desk)) == same_page(rotated, old_url)


def test_made_up_code_is_not_valid(client, employee):
    client.force_login(employee)
    response = client.get(reverse("checkin", args=["not-a-real-code"]))
    assert response.status_code == 404
    assert "This code is not valid" in response.content.decode()


@pytest.mark.parametrize("name", ["checkin_check_in", "checkin_walk_in", "checkin_check_out"])
def test_actions_on_another_organisations_code_are_not_valid(client, employee, foreign_desk, name):
    client.force_login(employee)
    response = client.post(action_url(name, foreign_desk))
    assert response.status_code == 404
    assert not Booking.objects.exists()


# My booking here.


def test_a_booking_inside_its_window_offers_one_tap_check_in(client, employee, desk):
    book(desk, employee, "09:00", "17:00")
    client.force_login(employee)

    html = client.get(landing_url(desk)).content.decode()

    assert 'method="post"' in html
    assert action_url("checkin_check_in", desk) in html
    assert ">Check in</button>" in html


def test_one_tap_checks_in_by_qr_and_shows_since_when(client, employee, desk):
    booking = book(desk, employee, "09:00", "17:00")
    client.force_login(employee)

    response = client.post(action_url("checkin_check_in", desk))

    assert response.status_code == 302
    assert response["Location"] == landing_url(desk)
    record = CheckIn.objects.get()
    assert record.booking == booking
    assert record.method == CheckInMethod.QR
    assert record.checked_in_at == NOW
    page = client.get(landing_url(desk)).content.decode()
    assert "Checked in since 09:00" in page
    assert ">Check out</button>" in page


def test_opening_the_page_never_checks_in(client, employee, desk):
    book(desk, employee, "09:00", "17:00")
    client.force_login(employee)
    client.get(landing_url(desk))
    assert not CheckIn.objects.exists()
    assert client.get(action_url("checkin_check_in", desk)).status_code == 405


def test_before_the_window_the_page_says_when_check_in_opens(client, employee, desk):
    book(desk, employee, "11:00", "17:00")
    client.force_login(employee)

    html = client.get(landing_url(desk)).content.decode()

    assert "Check-in opens at 10:45" in html
    assert action_url("checkin_check_in", desk) not in html


def test_a_refused_check_in_shows_the_services_message(client, employee, desk):
    book(desk, employee, "11:00", "17:00")
    client.force_login(employee)

    response = client.post(action_url("checkin_check_in", desk), follow=True)

    assert "Check-in opens at 10:45." in response.content.decode()
    assert not CheckIn.objects.exists()


def test_when_already_checked_in_the_page_shows_since_when_and_check_out(client, employee, desk):
    booking = book(desk, employee, "08:00", "17:00", status=BookingStatus.CHECKED_IN)
    CheckInFactory(booking=booking, checked_in_at=at(desk.floor.building, THURSDAY, "08:02"))
    client.force_login(employee)

    html = client.get(landing_url(desk)).content.decode()

    assert "Checked in since 08:02" in html
    assert action_url("checkin_check_out", desk) in html


def test_check_out_records_the_duration_and_my_bookings_shows_it(
    client, employee, desk, monkeypatch
):
    booking = book(desk, employee, "09:00", "17:00", status=BookingStatus.CHECKED_IN)
    CheckInFactory(booking=booking, checked_in_at=NOW)
    client.force_login(employee)
    leaving = NOW + timedelta(hours=2, minutes=30)
    stop_clock(monkeypatch, leaving)

    response = client.post(action_url("checkin_check_out", desk), follow=True)

    record = CheckIn.objects.get()
    assert record.checked_out_at == leaving
    assert record.duration == timedelta(hours=2, minutes=30)
    assert "after 2 h 30 min" in response.content.decode()
    assert "present 2 h 30 min" in client.get(reverse("my_bookings")).content.decode()


def test_checking_in_elsewhere_checks_out_the_first(client, employee, desk, floor):
    room = ResourceFactory(floor=floor, kind=ResourceKind.MEETING_ROOM, capacity=6, code="R.1")
    first = book(desk, employee, "08:00", "17:00", status=BookingStatus.CHECKED_IN)
    CheckInFactory(booking=first, checked_in_at=at(desk.floor.building, THURSDAY, "08:00"))
    book(room, employee, "09:00", "10:00")
    client.force_login(employee)

    page = client.get(landing_url(room)).content.decode()
    assert f"You are checked in at {desk}" in page
    client.post(action_url("checkin_check_in", room))

    first.refresh_from_db()
    assert first.status == BookingStatus.COMPLETED
    assert first.check_in.checked_out_at == NOW
    assert CheckIn.objects.get(checked_out_at__isnull=True).booking.resource == room


def test_a_walk_in_elsewhere_checks_out_the_first(client, employee, floor):
    room, other_room = ResourceFactory.create_batch(
        2, floor=floor, kind=ResourceKind.MEETING_ROOM, capacity=6
    )
    first = book(room, employee, "08:00", "10:00", status=BookingStatus.CHECKED_IN)
    CheckInFactory(booking=first, checked_in_at=at(floor.building, THURSDAY, "08:00"))
    client.force_login(employee)

    client.post(action_url("checkin_walk_in", other_room))

    first.refresh_from_db()
    assert first.status == BookingStatus.COMPLETED
    assert CheckIn.objects.get(checked_out_at__isnull=True).booking.resource == other_room


# A free resource.


def test_a_free_resource_offers_a_walk_in_until_closing(client, employee, desk, office_hours):
    client.force_login(employee)
    html = client.get(landing_url(desk)).content.decode()
    assert "Free now" in html
    assert "Check in until 18:00" in html


def test_a_walk_in_books_until_the_next_booking_and_checks_in(
    client, employee, colleague, desk, office_hours
):
    book(desk, colleague, "13:00", "17:00")
    client.force_login(employee)
    assert "Check in until 13:00" in client.get(landing_url(desk)).content.decode()

    response = client.post(action_url("checkin_walk_in", desk), follow=True)

    record = CheckIn.objects.get(user=employee)
    assert record.method == CheckInMethod.WALK_IN
    assert record.booking.start == at(desk.floor.building, THURSDAY, "09:00")
    assert record.booking.end == at(desk.floor.building, THURSDAY, "13:00")
    assert "Checked in since 09:00" in response.content.decode()


def test_a_closed_resource_offers_no_walk_in(client, employee, desk, office_hours):
    ClosureFactory(resource=desk, start=NOW - timedelta(hours=1), end=NOW + timedelta(hours=2))
    client.force_login(employee)
    html = client.get(landing_url(desk)).content.decode()
    assert "be booked now" in html
    assert action_url("checkin_walk_in", desk) not in html


# Someone else's booking.


def test_a_taken_resource_says_until_when(client, employee, colleague, desk, office_hours):
    book(desk, colleague, "08:00", "12:00")
    book(desk, colleague, "12:00", "15:00")
    client.force_login(employee)

    html = client.get(landing_url(desk)).content.decode()

    assert "Taken until 15:00" in html
    assert action_url("checkin_walk_in", desk) not in html
    assert action_url("checkin_check_in", desk) not in html


@pytest.mark.parametrize(
    ("organisation_allows", "person_allows", "shown"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_the_bookers_name_shows_only_when_organisation_and_person_allow_it(
    client, organization, employee, desk, organisation_allows, person_allows, shown
):
    organization.names_on_plans = organisation_allows
    organization.save()
    booker = UserFactory(
        organization=organization, full_name="Berta Booker", membership__name_on_plans=person_allows
    )
    book(desk, booker, "08:00", "17:00")
    client.force_login(employee)

    html = client.get(landing_url(desk)).content.decode()

    assert ("Berta Booker" in html) is shown
    assert "Taken until 17:00" in html


def test_nearest_free_resources_are_on_the_same_floor_nearest_first(
    employee, colleague, organization, floor, office_hours
):
    desk = ResourceFactory(floor=floor, code="A", x=100, y=100)
    book(desk, colleague, "08:00", "17:00")
    far = ResourceFactory(floor=floor, code="far", x=600, y=100)
    near = ResourceFactory(floor=floor, code="near", x=130, y=140)
    middle = ResourceFactory(floor=floor, code="middle", x=100, y=300)
    farthest = ResourceFactory(floor=floor, code="farthest", x=900, y=700)
    booked_later = ResourceFactory(floor=floor, code="booked", x=101, y=101)
    book(booked_later, UserFactory(organization=organization), "16:00", "17:00")
    ResourceFactory(floor=floor, code="inactive", x=100, y=102, is_active=False)
    ResourceFactory(floor=floor, code="room", x=100, y=103, kind=ResourceKind.MEETING_ROOM)
    closed = ResourceFactory(floor=floor, code="closed", x=100, y=104)
    ClosureFactory(resource=closed, start=NOW + timedelta(hours=5), end=NOW + timedelta(hours=6))
    other_floor = FloorFactory(building=floor.building, name="First floor", level=1)
    ResourceFactory(floor=other_floor, code="upstairs", x=100, y=100)

    landing = selectors.checkin_landing(user=employee, resource=desk, now=NOW)

    assert landing.case == selectors.TAKEN
    assert list(landing.nearest_free) == [near, middle, far]
    assert farthest not in landing.nearest_free


def test_nearest_free_resources_link_to_booking_the_rest_of_the_day(
    client, employee, colleague, desk, other_desk, office_hours
):
    book(desk, colleague, "08:00", "17:00")
    client.force_login(employee)

    html = client.get(landing_url(desk)).content.decode()

    url = reverse("book", args=[other_desk.pk])
    assert f"{url}?date=2025-03-27&amp;start=09:00&amp;end=18:00" in html


def test_the_page_needs_few_queries_however_many_resources(
    client, employee, colleague, floor, office_hours, django_assert_max_num_queries
):
    desk = ResourceFactory(floor=floor, code="A", x=100, y=100)
    book(desk, colleague, "08:00", "17:00")
    for n in range(20):
        other = ResourceFactory(floor=floor, x=200 + n * 10, y=200)
        if n % 2:
            book(other, UserFactory(organization=floor.organization), "08:00", "17:00")
    client.force_login(employee)
    client.get(landing_url(desk))  # fills the policy cache

    with django_assert_max_num_queries(6):
        response = client.get(landing_url(desk))

    assert len(response.context["landing"].nearest_free) == 3


# Sharing where I am.


def test_sharing_is_offered_with_the_persons_default(client, organization, desk):
    person = UserFactory(organization=organization, membership__share_presence_by_default=True)
    book(desk, person, "09:00", "17:00")
    client.force_login(person)
    html = client.get(landing_url(desk)).content.decode()
    assert 'name="share_presence" checked' in html


def test_sharing_is_not_offered_where_the_organisation_forbids_it(
    client, organization, employee, desk
):
    organization.presence_sharing_allowed = False
    organization.save()
    book(desk, employee, "09:00", "17:00")
    client.force_login(employee)
    assert 'name="share_presence"' not in client.get(landing_url(desk)).content.decode()


@pytest.mark.parametrize(
    ("allowed", "ticked", "recorded"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
def test_sharing_is_recorded_only_when_chosen_and_allowed(
    client, organization, employee, desk, allowed, ticked, recorded
):
    organization.presence_sharing_allowed = allowed
    organization.save()
    book(desk, employee, "09:00", "17:00")
    client.force_login(employee)

    client.post(action_url("checkin_check_in", desk), {"share_presence": "on"} if ticked else {})

    assert CheckIn.objects.get().shares_presence is recorded
