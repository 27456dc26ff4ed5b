"""`seed_demo` refuses a database with real tenants: it adds a superuser with a published
password. `--force` seeds anyway; a re-run on the demo's own data is not refused (see
`test_running_twice_duplicates_nothing`)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.management.commands.seed_demo import Command
from demo.people import SUPERUSER_EMAIL
from demo.seed import other_organizations
from profiles.models import Organization, User
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def initech(db):
    return OrganizationFactory(name="Initech", slug="initech", domain="initech.com")


def test_a_database_with_another_organisation_is_refused_and_left_alone(initech):
    with pytest.raises(CommandError, match=r"Initech.*--force"):
        call_command("seed_demo")

    assert list(Organization.objects.all()) == [initech]
    assert not User.objects.filter(email__iexact=SUPERUSER_EMAIL).exists()


def test_the_refusal_exits_non_zero_with_the_reason_on_stderr(initech, capsys):
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "seed_demo"])

    assert exit_info.value.code == 1
    assert "Initech" in capsys.readouterr().err


def test_an_acme_with_a_real_email_domain_counts_as_another_organisation(db):
    real_acme = OrganizationFactory(name="Acme", slug="acme", domain="acme.com")

    assert list(other_organizations()) == [real_acme]


def test_the_demos_own_organisations_do_not_count_as_others(organization, other_organization):
    # The cast's Acme (acme.example) and Globex (globex.example) are the demo's own.
    assert not other_organizations().exists()


def test_force_seeds_beside_another_organisation_without_touching_it(initech, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    member = UserFactory(organization=initech, email="peter@initech.com")

    out = StringIO()

    call_command("seed_demo", "--force", stdout=out)

    assert "Demo data ready" in out.getvalue()

    assert set(Organization.objects.values_list("slug", flat=True)) == {"initech", "acme", "globex"}
    assert list(User.objects.for_organization(initech)) == [member]
    assert User.objects.filter(email__iexact=SUPERUSER_EMAIL, is_superuser=True).exists()
