"""Who may see whom: the organisation's setting and the person's own, the stricter wins."""

import pytest

from profiles.models import User
from profiles.visibility import may_find, may_see_name_on_plan, may_see_presence
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BOTH_SETTINGS = [(True, True), (True, False), (False, True), (False, False)]


def _set_up(organization, person, **settings):
    """Save settings: those the organisation has go on it, the rest on the person's profile."""
    organization_settings = {k: v for k, v in settings.items() if hasattr(organization, k)}
    profile_settings = {k: v for k, v in settings.items() if k not in organization_settings}
    for name, value in organization_settings.items():
        setattr(organization, name, value)
    organization.save()
    for name, value in profile_settings.items():
        setattr(person.profile, name, value)
    person.profile.save()


def _reloaded(user: User) -> User:
    return User.objects.select_related("membership__organization", "profile").get(pk=user.pk)


@pytest.mark.parametrize(("organization_allows", "person_allows"), BOTH_SETTINGS)
def test_colleague_is_findable_only_when_organization_and_person_allow_it(
    organization, employee, colleague, organization_allows, person_allows
):
    _set_up(
        organization,
        colleague,
        colleague_search_enabled=organization_allows,
        findable=person_allows,
    )

    allowed = may_find(_reloaded(employee), _reloaded(colleague))

    assert allowed == (organization_allows and person_allows)


@pytest.mark.parametrize(("organization_allows", "person_allows"), BOTH_SETTINGS)
def test_colleagues_name_is_on_the_plan_only_when_organization_and_person_allow_it(
    organization, employee, colleague, organization_allows, person_allows
):
    _set_up(
        organization, colleague, names_on_plans=organization_allows, name_on_plans=person_allows
    )

    allowed = may_see_name_on_plan(_reloaded(employee), _reloaded(colleague))

    assert allowed == (organization_allows and person_allows)


@pytest.mark.parametrize(("organization_allows", "person_shared"), BOTH_SETTINGS)
def test_colleagues_presence_shows_only_when_organization_allows_and_person_shared_it(
    organization, employee, colleague, organization_allows, person_shared
):
    _set_up(organization, colleague, presence_sharing_allowed=organization_allows)

    allowed = may_see_presence(
        _reloaded(employee), _reloaded(colleague), shared_at_check_in=person_shared
    )

    assert allowed == (organization_allows and person_shared)


def _everything_on(user: User) -> None:
    _set_up(
        user.organization,
        user,
        colleague_search_enabled=True,
        names_on_plans=True,
        presence_sharing_allowed=True,
        findable=True,
        name_on_plans=True,
    )


def test_person_of_another_organization_is_never_findable(employee, stranger):
    _everything_on(employee)
    _everything_on(stranger)

    assert not may_find(_reloaded(stranger), _reloaded(employee))


def test_person_of_another_organization_never_sees_a_name_on_the_plan(employee, stranger):
    _everything_on(employee)
    _everything_on(stranger)

    assert not may_see_name_on_plan(_reloaded(stranger), _reloaded(employee))


def test_person_of_another_organization_never_sees_presence(employee, stranger):
    _everything_on(employee)
    _everything_on(stranger)

    assert not may_see_presence(_reloaded(stranger), _reloaded(employee), shared_at_check_in=True)


def test_person_without_an_organization_sees_nobody(employee):
    _everything_on(employee)
    outsider = User.objects.create_user("pending@acme.example", "x")

    assert not may_find(outsider, _reloaded(employee))
    assert not may_see_name_on_plan(outsider, _reloaded(employee))
    assert not may_see_presence(outsider, _reloaded(employee), shared_at_check_in=True)


def test_person_without_a_profile_is_not_findable(organization, employee):
    _everything_on(employee)
    quiet = UserFactory(organization=organization)
    quiet.profile.delete()

    assert not may_find(_reloaded(employee), _reloaded(quiet))
    assert not may_see_name_on_plan(_reloaded(employee), _reloaded(quiet))


def test_person_always_sees_themselves_even_with_everything_off(organization, employee):
    _set_up(
        organization,
        employee,
        colleague_search_enabled=False,
        names_on_plans=False,
        presence_sharing_allowed=False,
        findable=False,
        name_on_plans=False,
    )
    me = _reloaded(employee)

    assert may_find(me, me)
    assert may_see_name_on_plan(me, me)
    assert may_see_presence(me, me, shared_at_check_in=False)
