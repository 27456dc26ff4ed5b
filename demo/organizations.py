"""The demo's cast: Acme and Globex, their buildings and their people."""

from dataclasses import dataclass
from datetime import time
from decimal import Decimal

from demo.floors import (
    FloorSpec,
    amsterdam_first_floor,
    amsterdam_ground_floor,
    globex_floor,
    new_york_floor,
)
from profiles.models import Role


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    home: str
    role: str = Role.EMPLOYEE
    privacy: str = "private"
    default_building: bool = False
    drives: bool = False


@dataclass(frozen=True)
class BuildingSpec:
    name: str
    street: str
    postal_code: str
    city: str
    country: str
    time_zone: str
    floors: tuple[FloorSpec, ...]
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    # Replaces the organisation's opening hours for desks in this building.
    desk_hours: tuple[time, time] | None = None


@dataclass(frozen=True)
class OrganizationSpec:
    name: str
    slug: str
    domain: str
    street: str
    postal_code: str
    city: str
    country: str
    vat_number: str
    buildings: tuple[BuildingSpec, ...]
    people: tuple[Person, ...]
    # Members who never book in the demo: they only give the mobility figures enough people.
    quiet_people: tuple[Person, ...] = ()


AMS = "Amsterdam HQ"
NYC = "New York"
FM, ADMIN = Role.FACILITY_MANAGER, Role.ORGANIZATION_ADMIN


def quiet_colleagues(home: str, domain: str, count: int) -> tuple[Person, ...]:
    """Return `count` members of `home` who set a default building, never book nor log in.

    The mobility figures are noisy and publish an area only from about eight people on (see
    `privacy.statistics`): a demo needs more people per area than the cast that books.
    """
    first = ["Sanne", "Lars", "Eva", "Thijs", "Julia", "Ruben", "Iris", "Sem", "Fleur", "Luuk"]
    last = ["de Jong", "Dekker", "Kok", "Brouwer"]
    names = [f"{given} {family}" for family in last for given in first][:count]
    return tuple(
        Person(f"{name.lower().replace(' ', '.')}@{domain}", name, home, default_building=True)
        for name in names
    )


ACME = OrganizationSpec(
    name="Acme",
    slug="acme",
    domain="acme.example",
    street="Keizersgracht 123",
    postal_code="1015 CJ",
    city="Amsterdam",
    country="NL",
    vat_number="NL123456789B01",
    buildings=(
        BuildingSpec(
            name=AMS,
            street="Stationsplein 10",
            postal_code="1012 AB",
            city="Amsterdam",
            country="NL",
            time_zone="Europe/Amsterdam",
            latitude=Decimal("52.378901"),
            longitude=Decimal("4.900272"),
            floors=(amsterdam_ground_floor(), amsterdam_first_floor()),
        ),
        BuildingSpec(
            name=NYC,
            street="100 Hudson Street",
            postal_code="NY 10013",
            city="New York",
            country="US",
            time_zone="America/New_York",
            latitude=Decimal("40.719570"),
            longitude=Decimal("-74.008650"),
            floors=(new_york_floor(),),
            desk_hours=(time(8), time(18)),
        ),
    ),
    people=(
        Person("olivia@acme.example", "Olivia Bakker", AMS, ADMIN, "open", default_building=True),
        Person("femke@acme.example", "Femke de Vries", AMS, FM, "open", default_building=True),
        Person("daan@acme.example", "Daan Jansen", AMS, FM, "findable", drives=True),
        Person("marcus@acme.example", "Marcus Johnson", NYC, FM, "open", default_building=True),
        Person(
            "anna@acme.example",
            "Anna Visser",
            AMS,
            privacy="open",
            drives=True,
            default_building=True,
        ),
        Person("bram@acme.example", "Bram Smit", AMS, privacy="findable", default_building=True),
        Person("chloe@acme.example", "Chloé Meijer", AMS, privacy="open", default_building=True),
        Person("emma@acme.example", "Emma de Boer", AMS, default_building=True),
        Person("finn@acme.example", "Finn Mulder", AMS, drives=True),
        Person("hana@acme.example", "Hana Yılmaz", AMS, privacy="open", default_building=True),
        Person("jesse@acme.example", "Jesse Bos", AMS, default_building=True),
        Person("lotte@acme.example", "Lotte Vos", AMS, privacy="findable", default_building=True),
        Person("milan@acme.example", "Milan Peters", AMS, drives=True),
        Person("noah@acme.example", "Noah Hendriks", AMS, privacy="open", default_building=True),
        Person("sara@acme.example", "Sara El Amrani", AMS, default_building=True),
        Person(
            "tim@acme.example",
            "Tim van Dijk",
            AMS,
            privacy="open",
            drives=True,
            default_building=True,
        ),
        Person("aisha@acme.example", "Aisha Patel", NYC, privacy="open"),
        Person("ben@acme.example", "Ben Carter", NYC, default_building=True),
        Person("carmen@acme.example", "Carmen Rodríguez", NYC, privacy="findable"),
        Person("david@acme.example", "David Kim", NYC),
        Person("ella@acme.example", "Ella Nguyen", NYC, privacy="open"),
        Person("grace@acme.example", "Grace O'Brien", NYC, default_building=True),
        Person("jamal@acme.example", "Jamal Williams", NYC, privacy="open"),
        Person("maya@acme.example", "Maya Cohen", NYC),
        Person("sam@acme.example", "Sam Lee", NYC, privacy="findable"),
    ),
    quiet_people=quiet_colleagues(AMS, "acme.example", 30),
)

LONDON = "Globex House"

GLOBEX = OrganizationSpec(
    name="Globex",
    slug="globex",
    domain="globex.example",
    street="1 Canada Square",
    postal_code="E14 5AB",
    city="London",
    country="GB",
    vat_number="GB123456789",
    buildings=(
        BuildingSpec(
            name=LONDON,
            street="1 Canada Square",
            postal_code="E14 5AB",
            city="London",
            country="GB",
            time_zone="Europe/London",
            latitude=Decimal("51.504900"),
            longitude=Decimal("-0.019500"),
            floors=(globex_floor(),),
        ),
    ),
    people=(
        Person("ivy@globex.example", "Ivy Scott", LONDON, ADMIN, "open", default_building=True),
        Person("felix@globex.example", "Felix Wright", LONDON, FM, "findable"),
        Person("gina@globex.example", "Gina Russo", LONDON, privacy="open"),
    ),
)

DEMO_ORGANIZATIONS = (ACME, GLOBEX)
