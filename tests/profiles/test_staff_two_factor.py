"""Staff of an organisation that asks for it, and every superuser, use a second factor in admin."""

import pytest
from django.urls import reverse

from profiles.models import Organization, Role, User
from profiles.selectors import must_set_up_two_factor
from tests.admin_forms import unchanged_post_data
from tests.factories import TOTPAuthenticatorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_organization(organization):
    organization.staff_must_use_mfa = True
    organization.save(update_fields=["staff_must_use_mfa"])
    return organization


def _opens_admin(client, user) -> bool:
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    if response.status_code == 302:
        assert response["Location"] == reverse("mfa_activate_totp")
        return False
    assert response.status_code == 200
    return True


def test_facility_manager_without_mfa_is_sent_to_set_it_up(client, strict_organization):
    manager = UserFactory(organization=strict_organization, role=Role.FACILITY_MANAGER)

    assert not _opens_admin(client, manager)


def test_organisation_admin_without_mfa_is_sent_to_set_it_up(client, strict_organization):
    admin_user = UserFactory(organization=strict_organization, role=Role.ORGANIZATION_ADMIN)

    assert not _opens_admin(client, admin_user)


def test_every_admin_page_is_guarded_not_only_the_index(client, strict_organization):
    manager = UserFactory(organization=strict_organization, role=Role.FACILITY_MANAGER)
    client.force_login(manager)

    response = client.get(reverse("admin:locations_resource_changelist"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_facility_manager_with_totp_opens_the_admin(client, strict_organization):
    manager = UserFactory(organization=strict_organization, role=Role.FACILITY_MANAGER)
    TOTPAuthenticatorFactory(user=manager)

    assert _opens_admin(client, manager)


def test_without_the_setting_staff_open_the_admin_without_mfa(client, facility_manager):
    assert _opens_admin(client, facility_manager)


def test_the_setting_leaves_the_rest_of_the_site_open(client, strict_organization):
    manager = UserFactory(organization=strict_organization, role=Role.FACILITY_MANAGER)
    client.force_login(manager)

    assert client.get(reverse("home")).status_code == 200


def test_a_superuser_without_mfa_is_sent_to_set_it_up(client):
    root = User.objects.create_superuser("root@platform.example", "x")

    assert not _opens_admin(client, root)


def test_a_superuser_with_totp_opens_the_admin(client, superuser):
    assert _opens_admin(client, superuser)


def test_only_staff_and_superusers_must_use_two_factor(strict_organization):
    employee = UserFactory(organization=strict_organization)

    assert not must_set_up_two_factor(employee)


def test_an_organisation_admin_switches_the_setting_on_in_admin(
    client, organization, organization_admin
):
    TOTPAuthenticatorFactory(user=organization_admin)
    client.force_login(organization_admin)
    url = reverse("admin:profiles_organization_change", args=[organization.pk])
    page = client.get(url)
    data = unchanged_post_data(page)

    response = client.post(url, {**data, "staff_must_use_mfa": "on"})

    assert response.status_code == 302
    assert Organization.objects.get(pk=organization.pk).staff_must_use_mfa
