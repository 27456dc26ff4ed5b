"""Buildings near me: sorted by distance from a position that is neither stored nor logged."""

import logging
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.urls import reverse

from profiles.models import User
from tests.factories import BuildingFactory

pytestmark = pytest.mark.django_db

# Digits found nowhere else in the test data.
HERE = {"latitude": "52.123457", "longitude": "4.987651"}


@pytest.fixture
def buildings(organization, other_organization):
    return {
        "utrecht": BuildingFactory(
            organization=organization,
            name="Utrecht",
            latitude=Decimal("52.090737"),
            longitude=Decimal("5.121420"),
        ),
        "amsterdam": BuildingFactory(
            organization=organization,
            name="Amsterdam",
            latitude=Decimal("52.370216"),
            longitude=Decimal("4.895168"),
        ),
        "unknown": BuildingFactory(organization=organization, name="Annex"),
        "foreign": BuildingFactory(
            organization=other_organization,
            name="Globex next door",
            latitude=Decimal("52.123400"),
            longitude=Decimal("4.987600"),
        ),
    }


@pytest.fixture
def employee_client(client, employee):
    client.force_login(employee)
    return client


def test_buildings_are_sorted_nearest_first_with_unknown_places_last(employee_client, buildings):
    response = employee_client.post(reverse("buildings_near_me"), HERE)

    assert response.status_code == 200
    names = [row.building.name for row in response.context["results"]]
    assert names == ["Utrecht", "Amsterdam", "Annex"]
    assert response.context["results"][0].km == pytest.approx(9.8, abs=0.1)


def test_another_organisations_buildings_are_not_listed(employee_client, buildings):
    response = employee_client.post(reverse("buildings_near_me"), HERE)

    assert "Globex next door" not in response.content.decode()


def test_htmx_gets_the_results_alone_and_nothing_may_cache_them(employee_client, buildings):
    response = employee_client.post(reverse("buildings_near_me"), HERE, HTTP_HX_REQUEST="true")

    assert response.templates[0].name == "privacy/partials/near_me_results.html"
    assert "HX-Request" in response["Vary"]
    assert "no-store" in response["Cache-Control"]


def test_the_position_is_neither_stored_nor_logged(employee_client, buildings, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")

    response = employee_client.post(reverse("buildings_near_me"), HERE, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    for digits in [*HERE.values(), "52.123", "4.987"]:
        assert digits not in caplog.text
        assert digits not in response.content.decode()
    for model in apps.get_models():
        for row in model._default_manager.values_list():
            assert not any(digits in str(row) for digits in HERE.values()), model
    for session in Session.objects.all():
        assert not any(digits in str(session.get_decoded()) for digits in HERE.values())


def test_the_page_sends_the_position_by_post_only(employee_client):
    content = employee_client.get(reverse("buildings_near_me")).content.decode()

    assert 'method="post" action="/privacy/near-me/" id="near-me-form"' in content
    assert "js/near-me.js" in content


def test_a_position_off_the_globe_is_refused(employee_client, buildings):
    response = employee_client.post(
        reverse("buildings_near_me"), {"latitude": "91", "longitude": "4"}
    )

    assert response.context["results"] is None
    assert response.context["form"].errors["latitude"]


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.post(reverse("buildings_near_me"), HERE)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_people_without_an_organisation_are_told_why(client):
    loner = User.objects.create_user("loner@nowhere.example", "correct-horse-battery-staple")
    client.force_login(loner)

    response = client.get(reverse("buildings_near_me"))

    assert response.status_code == 403
