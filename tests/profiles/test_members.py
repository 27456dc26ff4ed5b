"""Creating members: nobody is put into an organisation on another organisation's domain."""

import pytest

from profiles.models import User
from profiles.services import MembershipError, create_member

pytestmark = pytest.mark.django_db


def test_a_member_on_another_organisations_domain_is_refused(organization, other_organization):
    with pytest.raises(MembershipError, match="another organisation"):
        create_member(organization=organization, email="ceo@globex.example")

    assert not User.objects.filter(email="ceo@globex.example").exists()


def test_the_domain_is_compared_whatever_its_case(organization, other_organization):
    with pytest.raises(MembershipError):
        create_member(organization=organization, email="CEO@Globex.Example ")


def test_a_member_on_the_organisations_own_domain_is_created(organization, other_organization):
    user = create_member(organization=organization, email="newcomer@acme.example")

    assert user.organization == organization


def test_a_member_on_a_domain_no_organisation_claims_is_created(organization, other_organization):
    # Contractors and guests have addresses elsewhere; only a claimed domain is refused.
    user = create_member(organization=organization, email="contractor@freelance.example")

    assert user.organization == organization
