"""A facility manager's admin shows their own organisation and nothing of any other."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from bookings.models import Booking, BookingPolicy, BookingStatus
from locations.models import Building, Resource
from profiles.models import Organization, Profile
from tests.factories import (
    BookingFactory,
    BookingPolicyFactory,
    BuildingFactory,
    ClosureFactory,
    FloorFactory,
    ResourceFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

MISSING_PK = 987654321


@pytest.fixture
def fm_client(client, facility_manager):
    client.force_login(facility_manager)
    return client


@pytest.fixture
def foreign_booking(foreign_desk):
    return BookingFactory(resource=foreign_desk)


@pytest.fixture
def own_booking(desk, employee):
    return BookingFactory(resource=desk, user=employee)


def _foreign_object(name, foreign_desk, stranger):
    if name == "building":
        return foreign_desk.floor.building
    if name == "floor":
        return foreign_desk.floor
    if name == "resource":
        return foreign_desk
    if name == "closure":
        return ClosureFactory(resource=foreign_desk)
    if name == "bookingpolicy":
        return BookingPolicyFactory(organization=foreign_desk.organization)
    if name == "booking":
        return BookingFactory(resource=foreign_desk)
    return stranger


def _answer(client, url_name, pk):
    """Return what the page for `pk` tells the visitor: where it leads, its status, messages."""
    response = client.get(reverse(url_name, args=[pk]), follow=True)
    messages = [
        str(message).replace(f"“{pk}”", "“ID”") for message in get_messages(response.wsgi_request)
    ]
    return response.redirect_chain, response.status_code, messages


MODELS = [
    ("locations", "building"),
    ("locations", "floor"),
    ("locations", "resource"),
    ("locations", "closure"),
    ("bookings", "bookingpolicy"),
    ("bookings", "booking"),
    ("profiles", "user"),
]


# Bookings are cancelled and people erased, never deleted in the admin: their delete page
# refuses a facility manager whatever the object. Every other page of a missing object sends
# them to the admin index with Django's "doesn't exist" message.
NEVER_DELETED_IN_ADMIN = {("bookings", "booking"), ("profiles", "user")}


@pytest.mark.parametrize("page", ["change", "history", "delete"])
@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
def test_other_organizations_object_answers_like_a_missing_one(
    fm_client, foreign_desk, stranger, app_label, model_name, page
):
    foreign = _foreign_object(model_name, foreign_desk, stranger)
    url_name = f"admin:{app_label}_{model_name}_{page}"

    foreign_answer = _answer(fm_client, url_name, foreign.pk)
    missing_answer = _answer(fm_client, url_name, MISSING_PK)

    assert foreign_answer == missing_answer
    if page == "delete" and (app_label, model_name) in NEVER_DELETED_IN_ADMIN:
        assert foreign_answer == ([], 403, [])
    else:
        verbose_name = apps.get_model(app_label, model_name)._meta.verbose_name
        assert foreign_answer == (
            [(reverse("admin:index"), 302)],
            200,
            [f"{verbose_name} with ID “ID” doesn’t exist. Perhaps it was deleted?"],
        )


def test_other_organizations_resource_redirects_to_the_admin_index_as_missing(
    fm_client, foreign_desk
):
    response = fm_client.get(reverse("admin:locations_resource_change", args=[foreign_desk.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    [message] = get_messages(response.wsgi_request)
    assert "doesn’t exist" in str(message)


def _changelist_rows(client, app_label, model_name):
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_resource_changelist_shows_only_own_organizations_resources(fm_client, desk, foreign_desk):
    assert _changelist_rows(fm_client, "locations", "resource") == {desk}


def test_building_changelist_shows_only_own_organizations_buildings(
    fm_client, building, foreign_desk
):
    assert _changelist_rows(fm_client, "locations", "building") == {building}


def test_booking_changelist_shows_only_own_organizations_bookings(
    fm_client, own_booking, foreign_booking
):
    assert _changelist_rows(fm_client, "bookings", "booking") == {own_booking}


def test_user_changelist_shows_only_own_organizations_people(
    fm_client, facility_manager, employee, stranger
):
    assert _changelist_rows(fm_client, "profiles", "user") == {facility_manager, employee}


def test_superuser_sees_both_organizations(client, superuser, desk, foreign_desk):
    client.force_login(superuser)

    assert _changelist_rows(client, "locations", "resource") == {desk, foreign_desk}


def _filter_choices(client, app_label, model_name):
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    return {
        label
        for spec in response.context["cl"].filter_specs
        for _pk, label in getattr(spec, "lookup_choices", [])
    }


@pytest.fixture
def second_desk(organization):
    # A filter with a single choice is not shown at all: give it two of our own.
    return ResourceFactory(floor=FloorFactory(building=BuildingFactory(organization=organization)))


def test_resource_changelist_filters_offer_only_own_floors_and_buildings(
    fm_client, desk, second_desk, foreign_desk
):
    choices = _filter_choices(fm_client, "locations", "resource")

    assert {str(desk.floor), str(second_desk.floor.building)} <= choices
    assert str(foreign_desk.floor) not in choices
    assert str(foreign_desk.floor.building) not in choices


def test_booking_changelist_filters_offer_only_own_floors_and_buildings(
    fm_client, own_booking, second_desk, foreign_booking
):
    BookingFactory(resource=second_desk)

    choices = _filter_choices(fm_client, "bookings", "booking")

    assert {str(own_booking.resource.floor), str(second_desk.floor.building)} <= choices
    assert str(foreign_booking.resource.floor) not in choices
    assert str(foreign_booking.resource.floor.building) not in choices


def _autocomplete_ids(client, model_name, field_name):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "locations", "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


def test_floor_autocomplete_lists_only_own_floors(fm_client, floor, foreign_desk):
    assert _autocomplete_ids(fm_client, "resource", "floor") == {floor.pk}


def test_zone_autocomplete_lists_only_own_zones(fm_client, floor, foreign_desk):
    zone = ZoneFactory(floor=floor)
    ZoneFactory(floor=foreign_desk.floor)

    assert _autocomplete_ids(fm_client, "resource", "zone") == {zone.pk}


def test_closure_resource_autocomplete_lists_only_own_resources(fm_client, desk, foreign_desk):
    assert _autocomplete_ids(fm_client, "closure", "resource") == {desk.pk}


def test_closure_building_autocomplete_lists_only_own_buildings(fm_client, building, foreign_desk):
    assert _autocomplete_ids(fm_client, "closure", "building") == {building.pk}


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("locations", "resource", "floor"),
        ("locations", "resource", "zone"),
        ("locations", "closure", "building"),
        ("locations", "closure", "floor"),
        ("locations", "closure", "resource"),
        ("locations", "floor", "building"),
        ("bookings", "bookingpolicy", "building"),
    ],
)
def test_add_form_offers_only_own_organizations_choices(
    fm_client, desk, foreign_desk, app_label, model_name, field_name
):
    ZoneFactory(floor=desk.floor)
    ZoneFactory(floor=foreign_desk.floor)

    response = fm_client.get(reverse(f"admin:{app_label}_{model_name}_add"))

    choices = response.context["adminform"].form.fields[field_name].queryset
    assert choices.exists()
    assert all(choice.organization == desk.organization for choice in choices)


def test_resource_on_another_organizations_floor_is_refused(fm_client, foreign_desk):
    response = fm_client.post(
        reverse("admin:locations_resource_add"),
        {
            "floor": foreign_desk.floor.pk,
            "kind": "desk",
            "code": "X.01",
            "x": 1,
            "y": 1,
            "capacity": 1,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "floor" in response.context["adminform"].form.errors
    assert not Resource.objects.filter(code="X.01").exists()


def test_profile_admin_lists_only_own_organizations_profiles(facility_manager, stranger):
    request = RequestFactory().get("/admin/profiles/profile/")
    request.user, request.organization = facility_manager, facility_manager.organization

    profiles = admin.site._registry[Profile].get_queryset(request)

    assert set(profiles) == {facility_manager.profile}


def _post_action(client, app_label, model_name, action, pk, **extra):
    return client.post(
        reverse(f"admin:{app_label}_{model_name}_changelist"),
        {"action": action, "_selected_action": [pk], "index": 0, **extra},
    )


@pytest.mark.parametrize("action", ["make_inactive", "rotate_tokens", "delete_selected"])
def test_resource_action_leaves_other_organizations_resource_alone(
    fm_client, desk, foreign_desk, action
):
    before = Resource.objects.values().get(pk=foreign_desk.pk)

    _post_action(fm_client, "locations", "resource", action, foreign_desk.pk)

    assert Resource.objects.values().get(pk=foreign_desk.pk) == before


def test_delete_action_confirmed_leaves_other_organizations_resource_alone(
    fm_client, desk, foreign_desk
):
    fm_client.post(
        reverse("admin:locations_resource_changelist"),
        {"action": "delete_selected", "_selected_action": [foreign_desk.pk], "post": "yes"},
    )

    assert Resource.objects.filter(pk=foreign_desk.pk).exists()


def test_cancel_action_leaves_other_organizations_booking_alone(fm_client, foreign_booking):
    _post_action(
        fm_client,
        "bookings",
        "booking",
        "cancel_selected",
        foreign_booking.pk,
        post="yes",
        reason="Closed",
    )

    foreign_booking.refresh_from_db()
    assert foreign_booking.status == BookingStatus.CONFIRMED


def test_cancel_action_cancels_own_organizations_booking(fm_client, own_booking):
    _post_action(
        fm_client,
        "bookings",
        "booking",
        "cancel_selected",
        own_booking.pk,
        post="yes",
        reason="Closed",
    )

    own_booking.refresh_from_db()
    assert own_booking.status == BookingStatus.CANCELLED


def _building_form(**fields):
    return {
        "name": "Rotterdam office",
        "street": "",
        "postal_code": "",
        "city": "Rotterdam",
        "country": "NL",
        "time_zone": "Europe/Amsterdam",
        "latitude": "",
        "longitude": "",
        "floors-TOTAL_FORMS": "0",
        "floors-INITIAL_FORMS": "0",
        "floors-MIN_NUM_FORMS": "0",
        "floors-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_new_building_belongs_to_the_facility_managers_organization(
    fm_client, organization, other_organization
):
    response = fm_client.post(
        reverse("admin:locations_building_add"),
        _building_form(organization=other_organization.pk),
    )

    assert response.status_code == 302
    assert Building.objects.get(name="Rotterdam office").organization == organization


def test_building_with_a_taken_name_is_refused_with_a_form_error(fm_client, building):
    response = fm_client.post(
        reverse("admin:locations_building_add"), _building_form(name=building.name)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Building.objects.filter(name=building.name).count() == 1


def test_floor_added_inline_belongs_to_the_buildings_organization(client, superuser, building):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:locations_building_change", args=[building.pk]),
        _building_form(
            organization=building.organization.pk,
            name=building.name,
            **{"floors-TOTAL_FORMS": "1", "floors-0-name": "Roof", "floors-0-level": "5"},
        ),
    )

    assert response.status_code == 302
    assert building.floors.get(name="Roof").organization == building.organization


def test_booking_belongs_in_the_changelist_of_its_own_organization_only(
    client, stranger, foreign_booking, own_booking
):
    client.force_login(stranger)

    assert _changelist_rows(client, "bookings", "booking") == {foreign_booking}
    assert Booking.objects.count() == 2


def test_superuser_adds_an_organization_with_its_email_domain(client, superuser):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:profiles_organization_add"),
        {
            "name": "Initech",
            "slug": "initech",
            "country": "NL",
            "retention_days": "90",
            "colleague_search_enabled": "on",
            "email_domains-TOTAL_FORMS": "1",
            "email_domains-INITIAL_FORMS": "0",
            "email_domains-0-domain": "initech.example",
        },
    )

    assert response.status_code == 302
    assert Organization.objects.get(slug="initech").email_domains.get().domain == "initech.example"


def _policy_form(**fields):
    return {
        "resource_kind": "desk",
        "building": "",
        "auto_release": "unknown",
        "hours-TOTAL_FORMS": "0",
        "hours-INITIAL_FORMS": "0",
        "closed_days-TOTAL_FORMS": "0",
        "closed_days-INITIAL_FORMS": "0",
        **fields,
    }


def test_second_organization_wide_policy_for_a_kind_is_refused_with_a_form_error(
    fm_client, organization
):
    BookingPolicyFactory(organization=organization)

    response = fm_client.post(reverse("admin:bookings_bookingpolicy_add"), _policy_form())

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert BookingPolicy.objects.filter(organization=organization).count() == 1


def test_policy_opening_hours_are_saved_inline(fm_client, organization):
    response = fm_client.post(
        reverse("admin:bookings_bookingpolicy_add"),
        _policy_form(
            **{
                "hours-TOTAL_FORMS": "1",
                "hours-0-weekday": "0",
                "hours-0-opens": "08:00",
                "hours-0-closes": "18:00",
            }
        ),
    )

    assert response.status_code == 302
    policy = BookingPolicy.objects.get(organization=organization)
    assert policy.hours.get().weekday == 0


def test_profile_form_offers_only_own_buildings_as_default(
    facility_manager, building, foreign_desk
):
    request = RequestFactory().get("/admin/profiles/profile/")
    request.user, request.organization = facility_manager, facility_manager.organization
    profile_admin = admin.site._registry[Profile]

    form_class = profile_admin.get_form(request, facility_manager.profile)

    assert set(form_class.base_fields["default_building"].queryset) == {building}


def test_view_only_staff_cannot_run_resource_actions(client, facility_manager, desk):
    view_only, _ = Group.objects.get_or_create(name="Resource viewers")
    view_only.permissions.set([Permission.objects.get(codename="view_resource")])
    facility_manager.groups.set([view_only])
    client.force_login(facility_manager)

    _post_action(client, "locations", "resource", "make_inactive", desk.pk)

    desk.refresh_from_db()
    assert desk.is_active
