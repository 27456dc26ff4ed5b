from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import BookingFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(building):
    """A day well inside the default booking horizon."""
    return timezone.localdate(timezone=building.tz) + timedelta(days=3)


def find_url(floor, day, **extra):
    params = {
        "building": floor.building_id,
        "floor": floor.pk,
        "date": day.isoformat(),
        "start": "09:00",
        "end": "17:00",
        **extra,
    }
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('find')}?{query}"


def book_on(desk, user, day):
    tz = desk.floor.building.tz
    return BookingFactory(
        resource=desk,
        user=user,
        start=datetime.combine(day, time(9), tzinfo=tz),
        end=datetime.combine(day, time(17), tzinfo=tz),
    )


def test_the_find_page_shows_the_floor_plan_and_the_free_list(client, employee, desk, floor, day):
    client.force_login(employee)
    response = client.get(find_url(floor, day))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "state-free" in html
    assert "1 free place" in html


def test_a_booked_desk_shows_as_booked_and_mine_as_mine(
    client, employee, colleague, desk, other_desk, floor, day
):
    book_on(desk, colleague, day)
    book_on(other_desk, employee, day)
    client.force_login(employee)
    html = client.get(find_url(floor, day)).content.decode()
    assert f'data-resource="{desk.pk}"' in html
    assert "state-booked" in html and "state-mine" in html
    assert "0 free places" in html


def test_an_htmx_request_gets_only_the_results_and_varies_on_it(client, employee, desk, floor, day):
    client.force_login(employee)
    response = client.get(find_url(floor, day), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b"find-form" in response.content
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client, employee, desk, floor, day):
    client.force_login(employee)
    response = client.get(
        find_url(floor, day), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert b"<html" in response.content


def test_the_floor_plan_takes_a_constant_number_of_queries(
    client, employee, floor, day, django_assert_num_queries
):
    client.force_login(employee)
    url = find_url(floor, day)
    desks = ResourceFactory.create_batch(5, floor=floor)
    for desk in desks[:2]:
        book_on(desk, UserFactory(organization=employee.organization), day)
    client.get(url)  # Warm the policy cache, as every request after the first finds it.
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ResourceFactory.create_batch(60, floor=floor)
    for desk in floor.resources.all()[:30]:
        if not desk.bookings.exists():
            book_on(desk, UserFactory(organization=employee.organization), day)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_floor_plan_page_takes_at_most_fifteen_queries(
    client, employee, desk, floor, day, django_assert_max_num_queries
):
    client.force_login(employee)
    client.get(find_url(floor, day))
    # The user, the filters (validating and listing their choices), and the plan: resources,
    # amenities, bookings, closures, favourites.
    with django_assert_max_num_queries(15):
        client.get(find_url(floor, day))


def test_another_organisations_floor_is_never_shown(client, employee, desk, foreign_desk, day):
    client.force_login(employee)
    html = client.get(find_url(foreign_desk.floor, day)).content.decode()
    assert foreign_desk.code not in html
    assert desk.code in html


def test_the_amenity_filter_keeps_only_matching_desks_in_the_list(client, employee, floor, day):
    from locations.models import Amenity

    monitor = Amenity.objects.get(slug="monitor")
    with_monitor = ResourceFactory(floor=floor, code="M.1")
    with_monitor.amenities.add(monitor)
    ResourceFactory(floor=floor, code="N.1")
    client.force_login(employee)
    response = client.get(find_url(floor, day, amenities=monitor.pk))
    free_codes = [item.resource.code for item in response.context["free"]]
    assert free_codes == ["M.1"]


def test_without_filters_the_defaults_are_my_building_and_its_first_floor(
    client, employee, building, floor, desk
):
    employee.profile.default_building = building
    employee.profile.save()
    client.force_login(employee)
    response = client.get(reverse("find"))
    assert response.context["search"].floor == floor


def test_an_organisation_without_buildings_sees_an_explanation(client, employee):
    client.force_login(employee)
    response = client.get(reverse("find"))
    assert b"no buildings with floors yet" in response.content


def test_an_expired_login_answers_htmx_with_a_redirect_to_log_in(client, floor, day):
    response = client.get(find_url(floor, day), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("organization_allows", "person_allows", "shown"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_names_on_the_plan_follow_both_settings(
    client, employee, colleague, desk, floor, day, organization_allows, person_allows, shown
):
    organization = employee.organization
    organization.names_on_plans = organization_allows
    organization.save()
    colleague.profile.name_on_plans = person_allows
    colleague.profile.save()
    book_on(desk, colleague, day)
    client.force_login(employee)
    html = client.get(find_url(floor, day)).content.decode()
    assert (colleague.full_name in html) is shown


def test_my_own_booking_never_needs_permission_to_show_as_mine(client, employee, desk, floor, day):
    employee.organization.names_on_plans = False
    employee.organization.save()
    book_on(desk, employee, day)
    client.force_login(employee)
    html = client.get(find_url(floor, day)).content.decode()
    assert "booked by you" in html


def test_floor_choices_are_named_without_their_building(client, employee, floor, desk, day):
    client.force_login(employee)
    html = client.get(find_url(floor, day)).content.decode()
    assert f'<option value="{floor.pk}" selected>{floor.name}</option>' in html
