"""Privacy settings: the organisation's and the person's, the stricter wins; the strict preset."""

import pytest
from django.urls import reverse

from profiles.models import Organization, Profile, User
from profiles.services import ProfileError, apply_strict_preset
from profiles.visibility import may_find, may_see_name_on_plan, share_presence_default
from tests.factories import BookingFactory, CheckInFactory

pytestmark = pytest.mark.django_db

URL = reverse("privacy_settings")
BOTH_SETTINGS = [(True, True), (True, False), (False, True), (False, False)]


def _reloaded(user: User) -> User:
    return User.objects.select_related("membership__organization", "profile").get(pk=user.pk)


def _choose(client, person: User, **switches) -> None:
    """Save the person's switches through the settings page, as they would.

    Each switch starts the other way round, so the page must really change it.
    """
    Profile.objects.filter(user=person).update(**{name: not on for name, on in switches.items()})
    client.force_login(person)
    response = client.post(URL, {name: "on" for name, on in switches.items() if on})
    assert response.status_code == 302


def _set_organization(organization: Organization, **settings) -> None:
    Organization.objects.filter(pk=organization.pk).update(**settings)


@pytest.mark.parametrize(("organization_allows", "person_allows"), BOTH_SETTINGS)
def test_findable_takes_effect_only_when_organization_and_person_allow_it(
    client, organization, employee, colleague, organization_allows, person_allows
):
    _set_organization(organization, colleague_search_enabled=organization_allows)
    _choose(client, colleague, findable=person_allows)

    assert may_find(_reloaded(employee), _reloaded(colleague)) == (
        organization_allows and person_allows
    )


@pytest.mark.parametrize(("organization_allows", "person_allows"), BOTH_SETTINGS)
def test_name_on_plans_takes_effect_only_when_organization_and_person_allow_it(
    client, organization, employee, colleague, organization_allows, person_allows
):
    _set_organization(organization, names_on_plans=organization_allows)
    _choose(client, colleague, name_on_plans=person_allows)

    assert may_see_name_on_plan(_reloaded(employee), _reloaded(colleague)) == (
        organization_allows and person_allows
    )


@pytest.mark.parametrize(("organization_allows", "person_allows"), BOTH_SETTINGS)
def test_sharing_presence_by_default_takes_effect_only_when_organization_and_person_allow_it(
    client, organization, colleague, organization_allows, person_allows
):
    _set_organization(organization, presence_sharing_allowed=organization_allows)
    _choose(client, colleague, share_presence_by_default=person_allows)

    assert share_presence_default(_reloaded(colleague)) == (organization_allows and person_allows)


def test_settings_page_saves_every_switch(client, employee):
    _choose(client, employee, findable=True, name_on_plans=False, share_presence_by_default=True)

    profile = Profile.objects.get(user=employee)
    assert (profile.findable, profile.name_on_plans, profile.share_presence_by_default) == (
        True,
        False,
        True,
    )


def test_settings_page_says_when_the_organization_has_turned_colleague_search_off(
    client, organization, employee
):
    _set_organization(organization, colleague_search_enabled=False)
    client.force_login(employee)

    response = client.get(URL)

    assert "Your organisation has turned colleague search off" in response.text
    assert "Your organisation allows names on floor plans" in response.text


def test_settings_page_says_what_the_organization_allows(client, employee):
    client.force_login(employee)

    response = client.get(URL)

    assert "Your organisation allows colleague search" in response.text
    assert "Your organisation has turned" not in response.text


def test_settings_page_needs_a_membership(client):
    outsider = User.objects.create_user("pending@acme.example", "x")
    client.force_login(outsider)

    assert client.get(URL).status_code == 403


def test_strict_preset_turns_everything_off_and_strict_mode_on(organization, organization_admin):
    apply_strict_preset(organization=organization, actor=organization_admin)

    organization.refresh_from_db()
    assert not organization.colleague_search_enabled
    assert not organization.names_on_plans
    assert not organization.presence_sharing_allowed
    assert organization.strict_mode


def test_strict_preset_is_refused_to_a_facility_manager(organization, facility_manager):
    with pytest.raises(ProfileError):
        apply_strict_preset(organization=organization, actor=facility_manager)

    organization.refresh_from_db()
    assert not organization.strict_mode


def test_strict_preset_is_refused_for_another_organization(other_organization, organization_admin):
    with pytest.raises(ProfileError):
        apply_strict_preset(organization=other_organization, actor=organization_admin)


def test_organization_admin_applies_strict_preset_in_one_click_in_admin(
    client, organization, organization_admin
):
    client.force_login(organization_admin)

    response = client.post(
        reverse("admin:profiles_organization_changelist"),
        {"action": "apply_strict_preset_action", "_selected_action": [organization.pk]},
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.strict_mode
    assert not organization.colleague_search_enabled


# In strict mode, the booking admin shows facility managers no person.


@pytest.fixture
def carls_booking(desk, colleague):
    return BookingFactory(resource=desk, user=colleague)


@pytest.fixture
def fm_client(client, facility_manager):
    client.force_login(facility_manager)
    return client


def _strict(organization: Organization) -> None:
    _set_organization(organization, strict_mode=True)


def test_facility_manager_sees_who_booked_when_not_strict(fm_client, carls_booking):
    response = fm_client.get(reverse("admin:bookings_booking_changelist"))

    assert "carl@acme.example" in response.text or "Carl" in response.text


def test_facility_manager_sees_no_person_in_booking_list_in_strict_mode(
    fm_client, organization, carls_booking
):
    _strict(organization)

    response = fm_client.get(reverse("admin:bookings_booking_changelist"))

    assert response.status_code == 200
    assert carls_booking.resource.code in response.text
    assert "Carl" not in response.text
    assert "carl@acme.example" not in response.text


def test_facility_manager_cannot_search_bookings_by_person_in_strict_mode(
    fm_client, organization, carls_booking
):
    _strict(organization)

    response = fm_client.get(reverse("admin:bookings_booking_changelist"), {"q": "carl"})

    assert response.context["cl"].result_count == 0


def test_facility_manager_sees_no_person_on_booking_page_in_strict_mode(
    fm_client, organization, carls_booking
):
    _strict(organization)

    response = fm_client.get(reverse("admin:bookings_booking_change", args=[carls_booking.pk]))

    assert response.status_code == 200
    assert "Carl" not in response.text
    assert "carl@acme.example" not in response.text


def test_facility_manager_sees_no_person_in_check_ins_in_strict_mode(
    fm_client, organization, colleague, desk
):
    check_in = CheckInFactory(booking__resource=desk, booking__user=colleague)
    _strict(organization)

    listing = fm_client.get(reverse("admin:bookings_checkin_changelist"))
    page = fm_client.get(reverse("admin:bookings_checkin_change", args=[check_in.pk]))

    for response in (listing, page):
        assert response.status_code == 200
        assert "Carl" not in response.text
        assert "carl@acme.example" not in response.text


def test_superuser_still_sees_the_person_in_strict_mode(
    client, superuser, organization, carls_booking
):
    _strict(organization)
    client.force_login(superuser)

    response = client.get(reverse("admin:bookings_booking_change", args=[carls_booking.pk]))

    assert "carl@acme.example" in response.text or "Carl" in response.text
