"""Mobility statistics: monthly snapshots of noisy figures, and the differencing attack."""

import math
import random
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse

from privacy.models import MobilitySnapshot, MobilityStatistic
from privacy.statistics import (
    MOBILITY_EPSILON,
    MOBILITY_THRESHOLD,
    compute_mobility,
    geometric_noise,
    publishable_areas,
)
from tests.factories import BuildingFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 10)
NEXT_DAY = date(2025, 3, 11)
NEXT_MONTH = date(2025, 4, 1)
# How often the noisy mechanism is run to compare what two worlds publish.
RUNS = 4000


class NoNoise(random.Random):
    """A noise source whose draws are all zero, to test what is published of which count."""

    def random(self) -> float:
        return 0.999


def _people(organization, building, postal_code: str, count: int) -> list:
    return [
        UserFactory(
            organization=organization,
            membership__postal_code=postal_code,
            membership__default_building=building,
        )
        for _ in range(count)
    ]


def _published(organization) -> dict[str, int]:
    return dict(
        MobilityStatistic.objects.filter(organization_id=organization.pk).values_list(
            "area", "people"
        )
    )


def _dashboard_mobility(client, facility_manager, building) -> list[tuple[str, int]]:
    client.force_login(facility_manager)
    response = client.get(reverse("facility_dashboard"), {"building": building.pk})
    return [(row.area, row.people) for row in response.context["mobility"]]


def _outcomes(areas: dict[str, int], *, seed: int) -> Counter:
    """Return how often each set of published figures comes out of RUNS snapshots."""
    rng = random.Random(seed)
    return Counter(
        frozenset(publishable_areas(Counter(areas), rng=rng).items()) for _ in range(RUNS)
    )


def _distance(one: Counter, other: Counter) -> float:
    """Return the total variation distance: how much better than a coin an observer guesses."""
    return sum(abs(one[key] - other[key]) for key in one.keys() | other.keys()) / (2 * RUNS)


# The example: ten people in small areas, shown as "other: 10".
BEFORE = {"1011": 4, "1012": 3, "1013": 3}


def test_a_person_joining_mid_month_changes_nothing_published(
    client, facility_manager, organization, building
):
    _people(organization, building, "1011 AB", 4)
    _people(organization, building, "1012 AB", 3)
    _people(organization, building, "1013 AB", 3)
    compute_mobility(organization_id=organization.pk, on=DAY)
    before = _dashboard_mobility(client, facility_manager, building)
    _people(organization, building, "1011 CD", 1)

    compute_mobility(organization_id=organization.pk, on=NEXT_DAY)

    assert _dashboard_mobility(client, facility_manager, building) == before


def test_a_month_is_frozen_even_when_nothing_was_published(organization, building):
    # Without noise, so that two people surely publish nothing (noise of +3 would show them).
    _people(organization, building, "1011 AB", 2)
    compute_mobility(organization_id=organization.pk, on=DAY, rng=NoNoise())
    _people(organization, building, "1011 AB", 20)

    written = compute_mobility(organization_id=organization.pk, on=NEXT_DAY, rng=NoNoise())

    assert written == 0
    assert _published(organization) == {}
    assert MobilitySnapshot.objects.get().computed_on == DAY


def test_a_new_month_draws_a_new_snapshot(organization, building):
    _people(organization, building, "1011 AB", 12)
    compute_mobility(organization_id=organization.pk, on=DAY, rng=NoNoise())

    compute_mobility(organization_id=organization.pk, on=NEXT_MONTH, rng=NoNoise())

    months = MobilitySnapshot.objects.values_list("month", flat=True)
    assert sorted(months) == [date(2025, 3, 1), date(2025, 4, 1)]
    assert MobilityStatistic.objects.filter(snapshot__month=NEXT_MONTH).exists()


def test_areas_below_the_threshold_are_counted_as_other(organization, building):
    _people(organization, building, "1012 AB", MOBILITY_THRESHOLD)
    _people(organization, building, "1013 CD", 3)
    _people(organization, building, "1014 EF", 2)

    compute_mobility(organization_id=organization.pk, on=DAY, rng=NoNoise())

    assert _published(organization) == {"1012": MOBILITY_THRESHOLD, "other": 5}


def test_other_is_withheld_when_it_is_too_small(organization, building):
    _people(organization, building, "1012 AB", MOBILITY_THRESHOLD)
    _people(organization, building, "1013 CD", 4)

    compute_mobility(organization_id=organization.pk, on=DAY, rng=NoNoise())

    assert _published(organization) == {"1012": MOBILITY_THRESHOLD}


def test_mobility_is_per_building(organization, building):
    second = BuildingFactory(organization=organization)
    _people(organization, building, "1012 AB", 4)
    _people(organization, second, "1012 AB", 4)

    compute_mobility(organization_id=organization.pk, on=DAY, rng=NoNoise())

    # Eight people from 1012 in all, but no building has enough: nothing is shown.
    assert _published(organization) == {}


def test_another_organisations_people_are_not_counted(organization, other_organization, building):
    _people(other_organization, building, "1012 AB", 10)

    compute_mobility(organization_id=organization.pk, on=DAY, rng=NoNoise())

    assert _published(organization) == {}


def test_the_noise_is_two_sided_geometric_with_the_documented_epsilon():
    rng = random.Random(9)
    draws = Counter(geometric_noise(rng) for _ in range(40_000))

    alpha = math.exp(-MOBILITY_EPSILON)
    for z in range(-3, 4):
        expected = (1 - alpha) / (1 + alpha) * alpha ** abs(z)
        assert draws[z] / 40_000 == pytest.approx(expected, abs=0.01)


def test_the_noise_comes_from_the_operating_system_unless_given(
    monkeypatch, organization, building
):
    drawn_by = []

    class Recording(random.SystemRandom):
        def random(self) -> float:
            drawn_by.append(type(self))
            return super().random()

    monkeypatch.setattr("privacy.statistics.secrets.SystemRandom", Recording)
    _people(organization, building, "1012 AB", 1)

    compute_mobility(organization_id=organization.pk, on=DAY)

    assert drawn_by and set(drawn_by) == {Recording}


# The attack across months: an observer who knows that exactly one person joined, left or
# moved, and compares the snapshots before and after. Two worlds that differ only in that
# person's area must publish nearly the same figures, so the figures can't tell them apart.
# Before the change, one person pushing 1011 from 4 to 5 always published "1011: 5".


def test_a_person_joining_cannot_be_placed_in_their_area():
    joined_1011 = _outcomes(BEFORE | {"1011": 5}, seed=1)
    joined_1013 = _outcomes(BEFORE | {"1013": 4}, seed=2)
    joined_elsewhere = _outcomes(BEFORE | {"1099": 1}, seed=3)

    assert _distance(joined_1011, joined_1013) < 0.1
    assert _distance(joined_1011, joined_elsewhere) < 0.1


def test_a_person_leaving_cannot_be_placed_in_their_area():
    # Before they left, they lived in 1011 or in 1012; afterwards BEFORE is published.
    lived_in_1011 = _outcomes(BEFORE | {"1011": 5}, seed=4)
    lived_in_1012 = _outcomes(BEFORE | {"1012": 4}, seed=5)

    assert _distance(lived_in_1011, lived_in_1012) < 0.1


def test_a_person_moving_cannot_be_placed_in_their_new_area():
    moved_to_1011 = _outcomes(BEFORE | {"1011": 5, "1012": 2}, seed=6)
    moved_to_1013 = _outcomes(BEFORE | {"1013": 4, "1012": 2}, seed=7)

    assert _distance(moved_to_1011, moved_to_1013) < 0.1


def test_an_area_of_one_person_is_almost_never_published():
    alone = _outcomes({"1099": 1}, seed=8)

    published = sum(count for outcome, count in alone.items() if dict(outcome).get("1099"))
    assert published / RUNS < 0.005
