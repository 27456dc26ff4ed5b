"""Colleague search: only people who chose to be findable, of one's own organisation."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profiles.models import Organization, Profile, User
from tests.clock import stop_clock
from tests.factories import BookingFactory, CheckInFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("colleague_search")
BOTH_SETTINGS = [(True, True), (True, False), (False, True), (False, False)]
HTMX = {"HTTP_HX_REQUEST": "true"}

# "Today" and "this week" are the days of the building (Amsterdam); a fixed clock keeps a
# booking a few minutes ahead on the same day and week whenever the suite runs.
NOW = datetime(2025, 3, 27, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))  # a Thursday
NEXT_MONDAY = NOW + timedelta(days=4)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    return stop_clock(monkeypatch, NOW)


@pytest.fixture
def erin_client(client, employee):
    client.force_login(employee)
    return client


def _allow(person: User, **settings) -> None:
    Profile.objects.filter(user=person).update(**settings)


def _set_organization(organization: Organization, **settings) -> None:
    Organization.objects.filter(pk=organization.pk).update(**settings)


def _search(client, query: str, **headers):
    return client.get(URL, {"q": query}, **headers)


@pytest.mark.parametrize(("organization_allows", "person_allows"), BOTH_SETTINGS)
def test_colleague_is_found_only_when_organization_and_person_allow_it(
    erin_client, organization, colleague, organization_allows, person_allows
):
    _set_organization(organization, colleague_search_enabled=organization_allows)
    _allow(colleague, findable=person_allows)

    response = _search(erin_client, "Carl", **HTMX)

    assert ("carl@acme.example" in response.text) == (organization_allows and person_allows)


def test_colleague_is_found_by_part_of_the_email_address(erin_client, colleague):
    _allow(colleague, findable=True)

    response = _search(erin_client, "carl@acme", **HTMX)

    assert "carl@acme.example" in response.text


def test_opted_out_person_answers_exactly_like_a_name_nobody_has(erin_client, colleague):
    _allow(colleague, findable=False)

    opted_out = _search(erin_client, "Carl", **HTMX)
    nobody = _search(erin_client, "Zora", **HTMX)

    assert opted_out.status_code == nobody.status_code == 200
    assert opted_out.content.replace(b"Carl", b"Zora") == nobody.content
    assert opted_out.headers == nobody.headers


def test_person_of_another_organization_is_never_found(erin_client, other_organization, stranger):
    _allow(stranger, findable=True)

    response = _search(erin_client, "Sam", **HTMX)

    assert "sam@globex.example" not in response.text
    assert "No colleague found." in response.text


def test_one_letter_finds_nobody(erin_client, colleague):
    _allow(colleague, findable=True)

    response = _search(erin_client, "C", **HTMX)

    assert "carl@acme.example" not in response.text
    assert "Type at least two letters." in response.text


def test_search_shows_at_most_20_people(erin_client, organization):
    for n in range(25):
        UserFactory(
            organization=organization, full_name=f"Tester {n:02d}", membership__findable=True
        )

    response = _search(erin_client, "Tester", **HTMX)

    assert len(response.context["hits"]) == 20
    assert "Showing the first 20." in response.text


@pytest.mark.parametrize(("organization_allows", "person_allows"), BOTH_SETTINGS)
def test_where_a_colleague_is_booked_shows_only_when_names_on_plans_are_allowed(
    erin_client, organization, colleague, desk, organization_allows, person_allows
):
    _set_organization(organization, names_on_plans=organization_allows)
    _allow(colleague, findable=True, name_on_plans=person_allows)
    BookingFactory(resource=desk, user=colleague, start=NOW + timedelta(minutes=5))

    response = _search(erin_client, "Carl", **HTMX)

    assert "carl@acme.example" in response.text
    assert (desk.code in response.text) == (organization_allows and person_allows)


@pytest.mark.parametrize(("organization_allows", "person_shared"), BOTH_SETTINGS)
def test_where_a_colleague_is_checked_in_shows_only_when_presence_may_be_seen(
    erin_client, organization, colleague, desk, organization_allows, person_shared
):
    _set_organization(organization, presence_sharing_allowed=organization_allows)
    # Names on plans off: the desk can only show up through the check-in.
    _allow(colleague, findable=True, name_on_plans=False)
    CheckInFactory(
        booking__resource=desk,
        booking__user=colleague,
        booking__start=NOW - timedelta(hours=1),
        checked_in_at=NOW - timedelta(minutes=50),
        shares_presence=person_shared,
    )

    response = _search(erin_client, "Carl", **HTMX)

    assert "carl@acme.example" in response.text
    assert ("Here now" in response.text) == (organization_allows and person_shared)
    assert (desk.code in response.text) == (organization_allows and person_shared)


def test_a_booking_after_this_week_is_not_shown(erin_client, colleague, desk):
    _allow(colleague, findable=True, name_on_plans=True)
    BookingFactory(resource=desk, user=colleague, start=NEXT_MONDAY)

    response = _search(erin_client, "Carl", **HTMX)

    assert "carl@acme.example" in response.text
    assert desk.code not in response.text


def _findable_colleagues_with_bookings(organization: Organization, floor, count: int) -> None:
    for n in range(count):
        person = UserFactory(
            organization=organization,
            full_name=f"Tester {n:02d}",
            membership__findable=True,
            membership__name_on_plans=True,
        )
        CheckInFactory(
            booking__resource=ResourceFactory(floor=floor),
            booking__user=person,
            booking__start=NOW - timedelta(hours=1),
            checked_in_at=NOW - timedelta(minutes=30),
            shares_presence=True,
        )
        BookingFactory(
            resource=ResourceFactory(floor=floor), user=person, start=NOW + timedelta(days=1)
        )


def _queries_for_search(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = _search(client, "Tester", **HTMX)
    assert response.status_code == 200
    return len(queries)


def test_search_takes_the_same_number_of_queries_for_2_or_12_hits(erin_client, organization, floor):
    _findable_colleagues_with_bookings(organization, floor, 2)
    few = _queries_for_search(erin_client)
    _findable_colleagues_with_bookings(organization, floor, 10)

    many = _queries_for_search(erin_client)

    assert many == few
    assert many <= 8


def test_htmx_gets_the_results_alone_and_the_page_varies_on_hx_request(erin_client, colleague):
    _allow(colleague, findable=True)

    partial = _search(erin_client, "Carl", **HTMX)
    page = _search(erin_client, "Carl")

    assert "<html" not in partial.text
    assert "<html" in page.text and "carl@acme.example" in page.text
    assert "HX-Request" in partial["Vary"] and "HX-Request" in page["Vary"]


def test_htmx_history_restore_gets_the_whole_page(erin_client, colleague):
    response = _search(
        erin_client, "Carl", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in response.text


def test_page_says_when_the_organization_has_turned_search_off(erin_client, organization):
    _set_organization(organization, colleague_search_enabled=False)

    response = erin_client.get(URL)

    assert "Your organisation has turned colleague search off." in response.text


def test_search_needs_a_membership(client):
    client.force_login(User.objects.create_user("pending@acme.example", "x"))

    assert client.get(URL, {"q": "Carl"}).status_code == 403
