"""The user admin's add form refuses an address on another organisation's domain."""

import pytest
from django.urls import reverse

from profiles.models import Role, User

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:profiles_user_add")


def _add_form(**fields) -> dict:
    return {"full_name": "Nina", "language": "", "role": Role.EMPLOYEE, **fields}


def test_facility_manager_cannot_add_a_person_of_another_organisations_domain(
    client, facility_manager, other_organization
):
    client.force_login(facility_manager)

    response = client.post(ADD_URL, _add_form(email="ceo@globex.example"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "another organisation" in str(errors["email"])
    assert not User.objects.filter(email="ceo@globex.example").exists()


def test_superuser_cannot_put_a_person_of_globex_into_acme(
    client, superuser, organization, other_organization
):
    client.force_login(superuser)

    response = client.post(
        ADD_URL, _add_form(email="ceo@globex.example", organization=organization.pk)
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="ceo@globex.example").exists()


def test_superuser_adds_a_person_of_globex_to_globex(
    client, superuser, organization, other_organization
):
    client.force_login(superuser)

    response = client.post(
        ADD_URL, _add_form(email="ceo@globex.example", organization=other_organization.pk)
    )

    assert response.status_code == 302
    assert User.objects.get(email="ceo@globex.example").organization == other_organization
