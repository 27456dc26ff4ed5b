from datetime import date, timedelta

import pytest
from django.db import models
from django.urls import reverse

from bookings.models import Booking, BookingStatus
from privacy.models import BuildingDayStatistic, MobilitySnapshot, MobilityStatistic
from privacy.statistics import aggregate_day, fold_bookings
from tests.clock import at
from tests.factories import (
    BookingFactory,
    BuildingFactory,
    CheckInFactory,
    ResourceFactory,
    UserFactory,
)

BUSY_DAY = date(2025, 3, 10)
QUIET_DAY = date(2025, 3, 11)
PERIOD = {"start": "2025-03-01", "end": "2025-03-31", "kind": "desk"}


def book_desks(*, organization, floor, day: date, people: int, bookings_each: int = 1):
    """Let `people` people each book `bookings_each` two-hour slots on their own desk."""
    building = floor.building
    for _ in range(people):
        user = UserFactory(organization=organization)
        desk = ResourceFactory(floor=floor)
        for slot in range(bookings_each):
            start = at(building, day, f"{8 + 2 * slot}:00")
            BookingFactory(resource=desk, user=user, start=start, end=start + timedelta(hours=2))


@pytest.fixture
def counted_days(organization, building, floor):
    book_desks(organization=organization, floor=floor, day=BUSY_DAY, people=5)
    book_desks(organization=organization, floor=floor, day=QUIET_DAY, people=4, bookings_each=3)
    for day in (BUSY_DAY, QUIET_DAY):
        aggregate_day(organization_id=organization.pk, day=day)


def dashboard(client, user, **params):
    client.force_login(user)
    return client.get(reverse("facility_dashboard"), PERIOD | params)


def test_aggregation_counts_distinct_people_per_building_day(organization, building, floor):
    book_desks(organization=organization, floor=floor, day=BUSY_DAY, people=3, bookings_each=2)
    CheckInFactory(booking=Booking.objects.order_by("pk").first())

    aggregate_day(organization_id=organization.pk, day=BUSY_DAY)

    row = BuildingDayStatistic.objects.get(building_id=building.pk, date=BUSY_DAY)
    assert (row.people, row.bookings, row.check_ins) == (3, 6, 1)
    assert (row.resource_kind, row.resources, row.booked_minutes) == ("desk", 3, 6 * 120)


def test_cancelled_bookings_and_their_people_are_not_counted(organization, building, desk):
    start = at(building, BUSY_DAY, "09:00")
    BookingFactory(resource=desk, start=start, end=start + timedelta(hours=1))
    BookingFactory(
        resource=desk, start=start, end=start + timedelta(hours=1), status=BookingStatus.CANCELLED
    )

    aggregate_day(organization_id=organization.pk, day=BUSY_DAY)

    row = BuildingDayStatistic.objects.get(building_id=building.pk, date=BUSY_DAY)
    assert (row.people, row.bookings) == (1, 1)


def test_building_statistics_have_no_column_pointing_to_a_person():
    for field in BuildingDayStatistic._meta.get_fields():
        assert not field.is_relation
        assert isinstance(field, models.Field)
        assert "user" not in field.name and "person" not in field.name


def test_people_erased_before_their_day_is_counted_are_still_counted_once(
    organization, building, floor
):
    book_desks(organization=organization, floor=floor, day=BUSY_DAY, people=5, bookings_each=2)
    erased = Booking.objects.order_by("pk").first().user
    theirs = list(Booking.objects.filter(user=erased).select_related("resource__floor__building"))
    fold_bookings(organization_id=organization.pk, bookings=theirs)
    Booking.objects.filter(user=erased).delete()

    aggregate_day(organization_id=organization.pk, day=BUSY_DAY)

    row = BuildingDayStatistic.objects.get(building_id=building.pk, date=BUSY_DAY)
    assert (row.people, row.bookings) == (5, 10)


def test_a_day_of_five_people_shows_its_numbers(client, facility_manager, counted_days):
    response = dashboard(client, facility_manager)

    assert response.status_code == 200
    busy = response.context["rows"][0]
    assert (busy.date, busy.withheld, busy.bookings, busy.people) == (BUSY_DAY, False, 5, 5)
    # Five two-hour bookings on nine desks against eight hours each.
    assert busy.utilisation_percent == round(100 * 5 * 120 / (9 * 480))
    assert f'value="{busy.utilisation_percent}"' in response.content.decode()


def test_a_day_of_four_people_is_withheld(client, organization_admin, counted_days):
    response = dashboard(client, organization_admin)

    quiet = response.context["rows"][1]
    assert (quiet.date, quiet.withheld, quiet.bookings, quiet.people) == (QUIET_DAY, True, 0, 0)
    html = response.content.decode()
    assert "fewer than 5 people" in html
    # Its twelve bookings are in neither its row nor the totals.
    assert '<td class="number">12</td>' not in html
    assert '<td class="number">17</td>' not in html
    assert response.context["totals"]["bookings"] == 5


def test_employees_get_404(client, employee, counted_days):
    assert dashboard(client, employee).status_code == 404


def test_a_manager_of_another_organisation_sees_none_of_these_figures(
    client, stranger, building, counted_days
):
    response = dashboard(client, stranger, building=building.pk)

    assert response.status_code == 200
    assert "rows" not in response.context
    assert "Amsterdam HQ" not in response.content.decode()


def test_another_organisations_building_shows_nothing_of_theirs(
    client, facility_manager, other_organization, counted_days
):
    theirs = BuildingFactory(organization=other_organization, name="Globex Tower")
    BuildingDayStatistic.objects.create(
        organization_id=other_organization.pk,
        building_id=theirs.pk,
        date=BUSY_DAY,
        resource_kind="desk",
        people=40,
        bookings=777,
        resources=50,
    )
    MobilityStatistic.objects.create(
        snapshot=MobilitySnapshot.objects.create(
            organization_id=other_organization.pk, month=date(2025, 3, 1), computed_on=BUSY_DAY
        ),
        organization_id=other_organization.pk,
        building_id=theirs.pk,
        area="9999",
        people=40,
    )

    response = dashboard(client, facility_manager, building=theirs.pk)

    assert response.status_code == 200
    assert "rows" not in response.context
    html = response.content.decode()
    assert "777" not in html and "9999" not in html and "Globex Tower" not in html


def test_the_latest_months_mobility_of_the_building_is_shown(
    client, facility_manager, organization, building, counted_days
):
    for month, area in ((date(2025, 2, 1), "1011"), (date(2025, 3, 1), "1012")):
        snapshot = MobilitySnapshot.objects.create(
            organization_id=organization.pk, month=month, computed_on=month
        )
        MobilityStatistic.objects.create(
            snapshot=snapshot,
            organization_id=organization.pk,
            building_id=building.pk,
            area=area,
            people=9,
        )

    response = dashboard(client, facility_manager, building=building.pk)

    assert [row.area for row in response.context["mobility"]] == ["1012"]


def test_the_dashboard_explains_how_mobility_figures_are_protected(
    client, facility_manager, organization, building, counted_days
):
    MobilitySnapshot.objects.create(
        organization_id=organization.pk, month=date(2025, 3, 1), computed_on=BUSY_DAY
    )

    response = dashboard(client, facility_manager, building=building.pk)

    html = response.content.decode()
    assert "drawn once a month" in html
    assert "No figure for this building is large enough to show this month." in html


def test_the_dashboard_takes_a_fixed_number_of_queries(
    client, facility_manager, organization, building, floor, django_assert_max_num_queries
):
    for offset in range(10):
        day = BUSY_DAY + timedelta(days=offset)
        book_desks(organization=organization, floor=floor, day=day, people=5)
        aggregate_day(organization_id=organization.pk, day=day)
    client.force_login(facility_manager)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("facility_dashboard"), PERIOD | {"building": building.pk})

    assert len(response.context["rows"]) == 10
