import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from bookings.models import BookingStatus, CheckIn, CheckInMethod
from locations.models import Beacon
from profiles.services import create_api_token, revoke_api_token
from tests.factories import BookingFactory, CheckInFactory

URL = "/api/v1/check-ins/beacon"
BEACON_UUID = uuid.UUID("f7826da6-4fa2-4e98-8024-bc5b71e0893e")


def make_beacon(resource, *, major=1, minor=14, beacon_uuid=BEACON_UUID) -> Beacon:
    return Beacon.objects.create(
        organization=resource.organization,
        resource=resource,
        uuid=beacon_uuid,
        major=major,
        minor=minor,
    )


def post(client, key, body):
    return client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


@pytest.fixture
def key(employee):
    _token, raw_key = create_api_token(user=employee, name="Phone")
    return raw_key


@pytest.fixture
def beacon(desk):
    return make_beacon(desk)


@pytest.fixture
def booking(employee, desk):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=5)
    return BookingFactory(user=employee, resource=desk, start=start, end=start + timedelta(hours=8))


def beacon_body(**changes) -> dict:
    return {"uuid": str(BEACON_UUID), "major": 1, "minor": 14} | changes


def test_beacon_checks_the_person_in_to_their_booking(client, key, beacon, booking):
    response = post(client, key, beacon_body())

    assert response.status_code == 201
    check_in = CheckIn.objects.get(booking=booking)
    assert check_in.method == CheckInMethod.BEACON
    assert check_in.shares_presence is False
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    data = response.json()
    assert data["check_in_id"] == check_in.pk
    assert data["resource_code"] == "A.01"
    assert data["building"] == "Amsterdam HQ"
    assert data["floor"] == "Ground floor"
    assert datetime.fromisoformat(data["booking_end"]) == booking.end


def test_times_are_given_in_the_buildings_time_zone(client, key, beacon, booking):
    data = post(client, key, beacon_body()).json()

    checked_in_at = datetime.fromisoformat(data["checked_in_at"])
    expected_offset = timezone.localtime(checked_in_at, booking.resource.floor.building.tz)
    assert checked_in_at.utcoffset() == expected_offset.utcoffset()
    assert checked_in_at.utcoffset() in {timedelta(hours=1), timedelta(hours=2)}


def test_presence_is_shared_only_when_asked(client, key, beacon, booking):
    post(client, key, beacon_body(share_presence=True))

    assert CheckIn.objects.get(booking=booking).shares_presence is True


def test_presence_is_not_shared_where_the_organisation_forbids_it(
    client, key, beacon, booking, organization
):
    organization.presence_sharing_allowed = False
    organization.save()

    post(client, key, beacon_body(share_presence=True))

    assert CheckIn.objects.get(booking=booking).shares_presence is False


def test_already_checked_in_answers_with_the_existing_check_in(client, key, beacon, booking):
    first = post(client, key, beacon_body())
    again = post(client, key, beacon_body())

    assert again.status_code == 200
    assert again.json()["check_in_id"] == first.json()["check_in_id"]
    assert CheckIn.objects.filter(booking=booking).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (beacon_body(major=70000), "major"),
        (beacon_body(minor=-1), "minor"),
        (beacon_body(major="1"), "major"),
        (beacon_body(major=1.5), "major"),
        (beacon_body(uuid="x"), "uuid"),
        ({"uuid": str(BEACON_UUID), "major": 1}, "minor"),
        (beacon_body(colour="blue"), "colour"),
        (beacon_body(share_presence="yes"), "share_presence"),
    ],
)
def test_bad_input_answers_400_naming_the_field(client, key, beacon, booking, body, field):
    response = post(client, key, body)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    errors = response.json()["detail"]
    assert [error["field"] for error in errors] == [field]
    assert errors[0]["message"]
    assert not CheckIn.objects.exists()


def test_a_body_that_is_not_json_answers_400(client, key, beacon):
    response = post(client, key, "major=1")

    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "body"


def test_unknown_beacon_answers_404(client, key, beacon, booking):
    response = post(client, key, beacon_body(minor=15))

    assert response.status_code == 404
    assert response.json() == {"detail": "This beacon is not known here."}


def test_another_organisations_beacon_answers_like_an_unknown_one(
    client, key, foreign_desk, booking
):
    make_beacon(foreign_desk, major=9, minor=9)

    foreign = post(client, key, beacon_body(major=9, minor=9))
    unknown = post(client, key, beacon_body(major=9, minor=8))

    assert foreign.status_code == unknown.status_code == 404
    assert foreign.content == unknown.content
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer ob_wrong", "Bearer", "Token ob_whatever", "Basic dXNlcjpwYXNz"],
)
def test_a_wrong_token_answers_401(client, key, beacon, booking, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.post(URL, beacon_body(), content_type="application/json", **headers)

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_revoked_token_answers_401(client, employee, beacon, booking):
    token, raw_key = create_api_token(user=employee, name="Old phone")
    revoke_api_token(user=employee, token_id=token.pk)

    assert post(client, raw_key, beacon_body()).status_code == 401


def test_the_token_of_a_deactivated_person_answers_401(client, employee, key, beacon, booking):
    employee.is_active = False
    employee.save()

    assert post(client, key, beacon_body()).status_code == 401


def test_a_session_login_is_not_enough(client, employee, beacon, booking):
    client.force_login(employee)

    response = client.post(URL, beacon_body(), content_type="application/json")

    assert response.status_code == 401


def test_no_booking_in_its_check_in_window_answers_409(client, key, beacon, employee, desk):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=2)
    BookingFactory(user=employee, resource=desk, start=start, end=start + timedelta(hours=2))

    response = post(client, key, beacon_body())

    assert response.status_code == 409
    assert response.json() == {"detail": "You have no booking of Desk A.01 to check in to now."}
    assert not CheckIn.objects.exists()


def test_a_booking_past_its_release_time_answers_409(client, key, beacon, employee, desk):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=45)
    BookingFactory(user=employee, resource=desk, start=start, end=start + timedelta(hours=8))

    assert post(client, key, beacon_body()).status_code == 409


def test_a_colleagues_booking_of_the_desk_answers_409(client, key, beacon, colleague, desk):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=5)
    BookingFactory(user=colleague, resource=desk, start=start, end=start + timedelta(hours=8))

    assert post(client, key, beacon_body()).status_code == 409
    assert not CheckIn.objects.exists()


def test_checking_in_here_checks_out_elsewhere(client, key, beacon, booking, employee, other_desk):
    earlier = CheckInFactory(
        booking__user=employee,
        booking__resource=other_desk,
        booking__start=booking.start - timedelta(hours=1),
        booking__end=booking.start,
    )

    assert post(client, key, beacon_body()).status_code == 201
    earlier.refresh_from_db()
    assert earlier.checked_out_at is not None


def test_me_names_the_tokens_owner(client, key):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200
    assert response.json() == {"email": "erin@acme.example", "organization": "Acme"}


def test_the_openapi_schema_lists_the_endpoints(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Officebooking API"
    operation = schema["paths"]["/api/v1/check-ins/beacon"]["post"]
    assert operation["security"] == [{"ApiTokenAuth": []}]
    assert "/api/v1/me" in schema["paths"]
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"


def test_the_docs_page_serves_swagger_from_our_own_static_files(client):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn" not in html.lower()
    assert "<script>" not in html


def test_an_empty_body_answers_400(client, key, beacon):
    response = post(client, key, "")

    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "body"


def test_a_json_list_answers_400(client, key, beacon):
    response = post(client, key, [])

    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "body"
