import os

import pytest
from django.core.cache import cache
from django.test import override_settings

from officebooking.celery import app as celery_app
from profiles.models import Role, User
from tests.factories import (
    TEST_PASSWORD,
    BuildingFactory,
    FloorFactory,
    OrganizationFactory,
    ResourceFactory,
    TOTPAuthenticatorFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Tasks run in the test's process and their errors fail the test.
celery_app.conf.task_always_eager = True
celery_app.conf.task_eager_propagates = True


@pytest.fixture(scope="session", autouse=True)
def _same_settings_with_or_without_redis():
    """Pin what settings.py chooses by REDIS_URL, so the suite passes (and its pinned query
    counts hold) with and without it. Session-wide, so the live server of the browser tests
    loads its middleware with these too.

    The session engine is production's cached_db, on whichever cache is configured (Redis,
    or the local-memory cache without REDIS_URL): the db engine takes different queries.
    """
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests run with DEBUG=False; the manifest storage would need collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    # Rate-limit counters live in the cache: one test's failed logins must not leak into
    # the next.
    cache.clear()
    yield
    cache.clear()


# The cast: two organisations, each with people in every role.


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Acme", slug="acme", domain="acme.example")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Globex", slug="globex", domain="globex.example")


@pytest.fixture
def employee(organization):
    return UserFactory(organization=organization, email="erin@acme.example", full_name="Erin")


@pytest.fixture
def colleague(organization):
    return UserFactory(organization=organization, email="carl@acme.example", full_name="Carl")


@pytest.fixture
def facility_manager(organization):
    return UserFactory(
        organization=organization,
        role=Role.FACILITY_MANAGER,
        email="fiona@acme.example",
        full_name="Fiona",
    )


@pytest.fixture
def organization_admin(organization):
    return UserFactory(
        organization=organization,
        role=Role.ORGANIZATION_ADMIN,
        email="oscar@acme.example",
        full_name="Oscar",
    )


@pytest.fixture
def stranger(other_organization):
    return UserFactory(
        organization=other_organization,
        role=Role.FACILITY_MANAGER,
        email="sam@globex.example",
        full_name="Sam",
    )


@pytest.fixture
def superuser(db):
    """A platform superuser, with the authenticator app that admin always asks of them."""
    user = User.objects.create_superuser("root@platform.example", TEST_PASSWORD)
    TOTPAuthenticatorFactory(user=user)
    return user


@pytest.fixture
def building(organization):
    return BuildingFactory(organization=organization, name="Amsterdam HQ")


@pytest.fixture
def floor(building):
    return FloorFactory(building=building, name="Ground floor")


@pytest.fixture
def desk(floor):
    return ResourceFactory(floor=floor, code="A.01")


@pytest.fixture
def other_desk(floor):
    return ResourceFactory(floor=floor, code="A.02")


@pytest.fixture
def foreign_desk(other_organization):
    building = BuildingFactory(organization=other_organization, name="Globex Tower")
    return ResourceFactory(floor=FloorFactory(building=building), code="G.01")
