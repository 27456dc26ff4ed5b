"""Nobody hands out more admin power than they have: roles, staff, superuser, groups."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from profiles.models import Role, User
from profiles.roles import GROUP_NAMES
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _change_url(user: User) -> str:
    return reverse("admin:profiles_user_change", args=[user.pk])


def _user_form(user: User, **fields) -> dict:
    form = {"full_name": user.full_name, "language": user.language, "is_active": "on"}
    if user.role:
        form["role"] = user.role
    return {**form, **fields}


def _form_as_shown(client, url: str) -> dict:
    """Return what a browser posts back, unchanged, for the admin form at `url`."""
    data = {}
    for fieldset in client.get(url).context["adminform"]:
        for line in fieldset:
            for field in line:
                if field.is_readonly:
                    continue
                value = field.field.value()
                if value is True:
                    data[field.field.name] = "on"
                elif value not in (False, None):
                    data[field.field.name] = value
    return data


def _reloaded(user: User) -> User:
    return User.objects.select_related("membership").get(pk=user.pk)


def _escalation_fields() -> dict:
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [group.pk for group in Group.objects.all()],
        "user_permissions": [Permission.objects.get(codename="change_organization").pk],
    }


@pytest.fixture
def fm_client(client, facility_manager):
    client.force_login(facility_manager)
    return client


def test_facility_manager_cannot_make_an_employee_superuser_staff_or_grant_groups(
    fm_client, employee
):
    response = fm_client.post(_change_url(employee), _user_form(employee, **_escalation_fields()))

    assert response.status_code == 302
    employee = _reloaded(employee)
    assert not employee.is_superuser
    assert not employee.is_staff
    assert not employee.groups.exists()
    assert not employee.user_permissions.exists()


def test_facility_manager_cannot_make_themselves_superuser_or_grant_themselves_permissions(
    fm_client, facility_manager
):
    fm_client.post(
        _change_url(facility_manager), _user_form(facility_manager, **_escalation_fields())
    )

    facility_manager = _reloaded(facility_manager)
    assert not facility_manager.is_superuser
    assert list(facility_manager.groups.values_list("name", flat=True)) == [
        GROUP_NAMES[Role.FACILITY_MANAGER]
    ]
    assert not facility_manager.user_permissions.exists()


def test_facility_manager_is_offered_only_the_employee_role(fm_client, employee):
    response = fm_client.get(_change_url(employee))

    role_field = response.context["adminform"].form.fields["role"]
    assert [value for value, _label in role_field.choices] == [Role.EMPLOYEE]


@pytest.mark.parametrize("role", [Role.FACILITY_MANAGER, Role.ORGANIZATION_ADMIN])
def test_facility_manager_cannot_promote_an_employee(fm_client, employee, role):
    response = fm_client.post(_change_url(employee), _user_form(employee, role=role))

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert _reloaded(employee).role == Role.EMPLOYEE


def test_facility_manager_cannot_change_their_own_role(fm_client, facility_manager):
    response = fm_client.get(_change_url(facility_manager))
    assert "role" not in response.context["adminform"].form.fields

    fm_client.post(
        _change_url(facility_manager),
        _user_form(facility_manager, role=Role.ORGANIZATION_ADMIN),
    )

    assert _reloaded(facility_manager).role == Role.FACILITY_MANAGER


def test_facility_manager_sees_an_organization_admin_read_only(fm_client, organization_admin):
    response = fm_client.get(_change_url(organization_admin))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]


def test_facility_manager_cannot_change_an_organization_admin(fm_client, organization_admin):
    response = fm_client.post(
        _change_url(organization_admin),
        _user_form(organization_admin, role=Role.EMPLOYEE, is_active=""),
    )

    assert response.status_code == 403
    organization_admin = _reloaded(organization_admin)
    assert organization_admin.role == Role.ORGANIZATION_ADMIN
    assert organization_admin.is_active


def test_facility_manager_cannot_change_another_facility_manager(fm_client, organization):
    peer = UserFactory(organization=organization, role=Role.FACILITY_MANAGER)

    response = fm_client.post(_change_url(peer), _user_form(peer, role=Role.EMPLOYEE))

    assert response.status_code == 403
    assert _reloaded(peer).role == Role.FACILITY_MANAGER


def test_organization_admin_makes_an_employee_facility_manager(
    client, organization_admin, employee
):
    client.force_login(organization_admin)

    response = client.post(_change_url(employee), _user_form(employee, role=Role.FACILITY_MANAGER))

    assert response.status_code == 302
    employee = _reloaded(employee)
    assert employee.role == Role.FACILITY_MANAGER
    assert employee.is_staff
    assert list(employee.groups.values_list("name", flat=True)) == ["Facility managers"]


def test_promoted_facility_manager_gets_into_the_admin(client, organization_admin, employee):
    client.force_login(organization_admin)
    client.post(_change_url(employee), _user_form(employee, role=Role.FACILITY_MANAGER))

    client.force_login(_reloaded(employee))
    response = client.get(reverse("admin:locations_resource_changelist"))

    assert response.status_code == 200


def test_organization_admin_cannot_make_someone_organization_admin(
    client, organization_admin, employee
):
    client.force_login(organization_admin)

    response = client.post(
        _change_url(employee), _user_form(employee, role=Role.ORGANIZATION_ADMIN)
    )

    assert response.status_code == 200
    assert _reloaded(employee).role == Role.EMPLOYEE


def test_employee_gets_no_admin_access(client, employee):
    client.force_login(employee)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={reverse('admin:index')}"


def test_facility_manager_gets_admin_access_through_the_role_alone(client, facility_manager):
    client.force_login(facility_manager)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert not User.objects.filter(pk=facility_manager.pk, is_superuser=True).exists()


def test_facility_manager_logs_in_to_the_admin_with_their_password(client, facility_manager):
    response = client.post(
        reverse("account_login"),
        {"login": facility_manager.email, "password": TEST_PASSWORD, "next": "/admin/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def _add_form(**fields) -> dict:
    return {
        "email": "newcomer@acme.example",
        "full_name": "Nina",
        "language": "",
        "role": Role.EMPLOYEE,
        **fields,
    }


def test_facility_manager_adds_an_employee_to_their_own_organization(
    fm_client, organization, other_organization
):
    response = fm_client.post(
        reverse("admin:profiles_user_add"), _add_form(organization=other_organization.pk)
    )

    assert response.status_code == 302
    newcomer = _reloaded(User.objects.get(email="newcomer@acme.example"))
    assert newcomer.organization == organization
    assert newcomer.role == Role.EMPLOYEE
    assert not newcomer.is_staff


def test_facility_manager_cannot_add_a_facility_manager(fm_client):
    response = fm_client.post(
        reverse("admin:profiles_user_add"), _add_form(role=Role.FACILITY_MANAGER)
    )

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="newcomer@acme.example").exists()


def test_superuser_editing_a_person_without_membership_keeps_them_active(client, superuser):
    client.force_login(superuser)
    newcomer = User.objects.create_user("pending@unknown.example", "x")

    form = _form_as_shown(client, _change_url(newcomer))

    response = client.post(_change_url(newcomer), {**form, "full_name": "Pat"})

    assert response.status_code == 302
    newcomer = _reloaded(newcomer)
    assert newcomer.full_name == "Pat"
    assert newcomer.is_active


def test_an_organisation_admin_cannot_edit_a_superuser_member(
    client, organization_admin, organization
):
    superuser = UserFactory(organization=organization, email="root@acme.example")
    superuser.is_superuser = True
    superuser.save()
    client.force_login(organization_admin)
    url = reverse("admin:profiles_user_change", args=[superuser.pk])
    response = client.post(url, {"full_name": "Changed", "is_active": ""})
    superuser.refresh_from_db()
    assert response.status_code == 403
    assert superuser.is_active and superuser.full_name != "Changed"
