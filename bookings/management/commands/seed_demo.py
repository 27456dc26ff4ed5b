"""Fill the database with a demo: two organisations, their buildings, people and bookings.

Safe to run again: rows are looked up by their natural keys (organisation slug, building and
floor name, resource code, e-mail address), plan images are drawn once, and a booking is only
added for a person and day that has none of its kind yet. A second run refreshes the coming
two weeks and duplicates nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from bookings.models import (
    HOLDING_STATUSES,
    Booking,
    BookingPolicy,
    BookingStatus,
    CheckInMethod,
    OpeningHours,
)
from bookings.services import BookingError, check_in, check_out, create_booking, release_no_shows
from locations.models import Amenity, Building, Floor, Resource, ResourceKind, Zone
from locations.plan_images import (
    Area,
    Box,
    Desk,
    FloorPlan,
    Room,
    benches_in,
    floor_plan_file,
    parking_row,
)
from profiles.models import EmailDomain, Organization, Role, User
from profiles.services import create_member

# Printed at the end of every run: demo data only, never a real account.
DEMO_PASSWORD = "demo-desk-booking"  # noqa: S105
SUPERUSER_EMAIL = "admin@officebooking.test"
BOOKING_DAYS = 14
# Past working days played out (booked, checked in or not, checked out) for the dashboard.
HISTORY_DAYS = 28
CHECK_IN_SHARE = 0.85
# Share of working days a person comes in, and of those a driver parks at the office.
ATTENDANCE = 0.65
PARKING_SHARE = 0.7
ARRIVALS = (time(8), time(8, 30), time(9), time(9, 30))
DEPARTURES = (time(16), time(16, 30), time(17), time(17, 30), time(18))
MEETING_MINUTES = (30, 60, 60, 90)
MEETING_GAPS = (30, 60, 120)

# (findable, name on plans, share presence by default)
PRIVACY = {
    "open": (True, True, True),
    "findable": (True, False, False),
    "private": (False, False, False),
}


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
class FloorSpec:
    """A floor and its plan. Desks, parking bays and rooms with a table become resources."""

    name: str
    level: int
    plan: FloorPlan


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


# Floor plans: 1200 x 800 pixels, outer walls 30 px in. Meeting rooms line the left wall,
# lifts and stairs sit in the middle, neighbourhoods fill the window sides.


def core(*, left: int) -> tuple[Room, ...]:
    """Return the lifts, stairs and toilets in the middle of a floor."""
    return (
        Room("Lifts", Box(left, 340, left + 100, 460), door=None, service=True),
        Room("Stairs", Box(left + 100, 340, left + 200, 460), door=None, service=True),
        Room("WC", Box(left + 200, 340, left + 280, 460), door="bottom"),
    )


def amsterdam_ground_floor() -> FloorSpec:
    harbour = Box(280, 50, 830, 310)
    return FloorSpec(
        name="Ground floor",
        level=0,
        plan=FloorPlan(
            title="Amsterdam HQ · Ground floor",
            rooms=(
                Room("Rembrandt", Box(30, 30, 250, 240), seats=8),
                Room("Vermeer", Box(30, 240, 250, 400), seats=4),
                Room("Pantry", Box(30, 400, 250, 560)),
                Room("Lockers", Box(30, 620, 250, 770)),
                *core(left=440),
                Room("Reception", Box(400, 610, 760, 770), door="top"),
                Room("Parking garage", Box(860, 30, 1170, 770), door="left"),
            ),
            areas=(Area("Harbour", harbour),),
            desks=benches_in(harbour, across=2, rows=1, desks_per_side=4),
            parking_bays=(
                parking_row(x=912, top=110, count=8, opening="right", ev_every=3)
                + parking_row(x=1118, top=110, count=8, opening="left")
            ),
            entrances=(580, 1015),
        ),
    )


def amsterdam_first_floor() -> FloorSpec:
    product = Box(280, 50, 1150, 310)
    sales = Box(280, 500, 720, 750)
    quiet = Box(760, 500, 1150, 750)
    return FloorSpec(
        name="First floor",
        level=1,
        plan=FloorPlan(
            title="Amsterdam HQ · First floor",
            rooms=(
                Room("Keizersgracht", Box(30, 30, 250, 260), seats=10),
                Room("Singel", Box(30, 260, 250, 420), seats=6),
                Room("Pantry", Box(30, 420, 250, 580)),
                Room("Print room", Box(30, 630, 250, 770)),
                *core(left=480),
            ),
            areas=(Area("Product", product), Area("Sales", sales), Area("Quiet zone", quiet)),
            desks=(
                benches_in(product, across=3, rows=2, desks_per_side=3)
                + benches_in(sales, across=2, rows=1, desks_per_side=3)
                + benches_in(quiet, across=1, rows=1, desks_per_side=4)
            ),
        ),
    )


def new_york_floor() -> FloorSpec:
    hudson = Box(280, 50, 1150, 310)
    midtown = Box(280, 500, 1150, 750)
    return FloorSpec(
        name="12th floor",
        level=12,
        plan=FloorPlan(
            title="New York · 12th floor",
            rooms=(
                Room("Liberty", Box(30, 30, 250, 290), seats=12),
                Room("Chelsea", Box(30, 290, 250, 440), seats=4),
                Room("Kitchen", Box(30, 440, 250, 600)),
                Room("Mail room", Box(30, 640, 250, 770)),
                *core(left=480),
            ),
            areas=(Area("Hudson", hudson), Area("Midtown", midtown)),
            desks=(
                benches_in(hudson, across=3, rows=1, desks_per_side=4)
                + benches_in(midtown, across=3, rows=1, desks_per_side=4)
            ),
        ),
    )


def globex_floor() -> FloorSpec:
    open_office = Box(280, 50, 850, 300)
    return FloorSpec(
        name="Ground floor",
        level=0,
        plan=FloorPlan(
            title="Globex House · Ground floor",
            width=900,
            height=600,
            rooms=(
                Room("Boardroom", Box(30, 30, 250, 250), seats=8),
                Room("Kitchen", Box(30, 250, 250, 410)),
                Room("Reception", Box(300, 430, 560, 570), door="top"),
                Room("Stairs", Box(640, 340, 740, 460), door=None, service=True),
                Room("WC", Box(740, 340, 820, 460), door="bottom"),
            ),
            areas=(Area("Open office", open_office),),
            desks=benches_in(open_office, across=1, rows=1, desks_per_side=5),
            entrances=(430,),
        ),
    )


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

POLICY_RULES = {
    ResourceKind.DESK: {
        "max_days_ahead": BOOKING_DAYS,
        "min_duration_minutes": 60,
        "slot_minutes": 30,
        "max_bookings_per_day": 1,
        "checkin_opens_minutes": 15,
        "release_after_minutes": 30,
        "auto_release": True,
    },
    ResourceKind.PARKING_SPOT: {
        "max_days_ahead": BOOKING_DAYS,
        "min_duration_minutes": 60,
        "slot_minutes": 30,
        "max_bookings_per_day": 1,
        "release_after_minutes": 60,
        "auto_release": True,
    },
    ResourceKind.MEETING_ROOM: {
        "max_days_ahead": BOOKING_DAYS,
        "min_duration_minutes": 30,
        "max_duration_minutes": 240,
        "slot_minutes": 15,
        "max_bookings_per_day": 4,
        "checkin_opens_minutes": 10,
        "release_after_minutes": 15,
        "auto_release": True,
    },
}
OPENING_HOURS = (time(7), time(20))


class Command(BaseCommand):
    help = "Create or refresh demo organisations, buildings, people and two weeks of bookings."

    def handle(self, *args, **options):
        now = timezone.now()
        # Django hashes a password in about 0.3 s; every demo login shares one, so hash once.
        password_hash = make_password(DEMO_PASSWORD)
        added = refused = 0
        for spec in DEMO_ORGANIZATIONS:
            with transaction.atomic():
                organization = seed_organization(spec, now=now, password_hash=password_hash)
            # Outside that transaction: each past booking commits on its own, so its e-mails
            # are handled (and swallowed) while seed_history says so.
            played = seed_history(spec, organization, now=now)
            with transaction.atomic():
                ledger = seed_bookings(spec, organization, now=now)
            added, refused = added + ledger.added, refused + ledger.refused
            if played:
                self.stdout.write(f"{spec.name}: {played} past booking(s) played out.")
        ensure_superuser(password_hash)
        # Count the past days into the anonymous statistics the dashboard reads.
        call_command("aggregate_statistics", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {added} booking(s) added for the next {BOOKING_DAYS} days"
                f" ({refused} refused by the booking rules)."
            )
        )
        self.print_logins()

    def print_logins(self) -> None:
        write = self.stdout.write
        write("")
        write(f"Log in at {reverse('account_login')} with any address below and the password:")
        write("")
        write(f"    {DEMO_PASSWORD}")
        for spec in DEMO_ORGANIZATIONS:
            write("")
            write(self.style.MIGRATE_HEADING(f"{spec.name} ({spec.domain})"))
            for person in sorted(spec.people, key=lambda p: (-Role.rank(p.role), p.email)):
                write(f"  {person.email:<26} {Role(person.role).label:<20} {person.home}")
        write("")
        write(self.style.MIGRATE_HEADING("Platform"))
        write(f"  {SUPERUSER_EMAIL:<26} superuser (all organisations)")
        # No TOTP secret is seeded: a secret printed here would be known to everyone with the
        # repository, so the operator sets up their own authenticator app.
        write(
            f"  {'':<26} The admin asks a superuser to set up two-factor authentication"
            " (an authenticator app) first."
        )


# Organisations, buildings and resources


def seed_organization(spec: OrganizationSpec, *, now: datetime, password_hash: str) -> Organization:
    organization = ensure_organization(spec, today=now.date())
    buildings = {b.name: ensure_building(organization, b) for b in spec.buildings}
    ensure_policies(organization, spec.buildings, buildings)
    ensure_people(organization, spec.people, buildings, password_hash=password_hash)
    # They are not in the list of demo logins, so they cannot log in.
    ensure_people(organization, spec.quiet_people, buildings, password_hash=make_password(None))
    return organization


def ensure_organization(spec: OrganizationSpec, *, today: date) -> Organization:
    organization, _ = Organization.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "street": spec.street,
            "postal_code": spec.postal_code,
            "city": spec.city,
            "country": spec.country,
            "vat_number": spec.vat_number,
            "subscription_ends_on": today + timedelta(days=365),
        },
    )
    EmailDomain.objects.get_or_create(domain=spec.domain, defaults={"organization": organization})
    return organization


def ensure_building(organization: Organization, spec: BuildingSpec) -> Building:
    building, _ = Building.objects.get_or_create(
        organization=organization,
        name=spec.name,
        defaults={
            "street": spec.street,
            "postal_code": spec.postal_code,
            "city": spec.city,
            "country": spec.country,
            "time_zone": spec.time_zone,
            "latitude": spec.latitude,
            "longitude": spec.longitude,
        },
    )
    for floor_spec in spec.floors:
        ensure_floor(building, floor_spec)
    return building


def ensure_floor(building: Building, spec: FloorSpec) -> Floor:
    floor, _ = Floor.objects.get_or_create(
        building=building,
        name=spec.name,
        defaults={
            "organization_id": building.organization_id,
            "level": spec.level,
            "width": spec.plan.width,
            "height": spec.plan.height,
        },
    )
    ensure_plan_image(floor, spec.plan)
    zones = {
        area.name: Zone.objects.get_or_create(
            floor=floor, name=area.name, defaults={"organization_id": floor.organization_id}
        )[0]
        for area in spec.plan.areas
    }
    ensure_desks(floor, spec, zones)
    ensure_meeting_rooms(floor, spec)
    ensure_parking_spots(floor, spec)
    return floor


def ensure_plan_image(floor: Floor, plan: FloorPlan) -> None:
    # Redrawn only when missing, such as after the media directory was wiped.
    if floor.plan_image and floor.plan_image.storage.exists(floor.plan_image.name):
        return
    floor.plan_image.save("floor-plan.png", floor_plan_file(plan), save=False)
    floor.width, floor.height = plan.width, plan.height
    floor.save(update_fields=["plan_image", "width", "height"])


def ensure_desks(floor: Floor, spec: FloorSpec, zones: dict[str, Zone]) -> None:
    for number, desk in enumerate(spec.plan.desks, start=1):
        area = next((a for a in spec.plan.areas if a.box.contains(desk.x, desk.y)), None)
        ensure_resource(
            floor,
            code=f"{spec.level}.{number:02d}",
            kind=ResourceKind.DESK,
            xy=(desk.x, desk.y),
            zone=zones[area.name] if area else None,
            amenities=desk_amenities(number, desk, spec.plan, area),
        )


def desk_amenities(number: int, desk: Desk, plan: FloorPlan, area: Area | None) -> list[str]:
    slugs = ["dual-monitor" if number % 3 == 0 else "monitor"]
    if number % 4:
        slugs.append("docking-station")
    if number % 5 == 0:
        slugs.append("standing-desk")
    if number % 8 == 1:
        slugs.append("accessible")
    # Within about 4 m of a facade (a plan pixel is about 2.5 cm).
    outline = plan.outline
    if min(desk.y - outline.top, outline.bottom - desk.y) < 150:
        slugs.append("window")
    if area and "quiet" in area.name.lower():
        slugs.append("quiet")
    return slugs


def ensure_meeting_rooms(floor: Floor, spec: FloorSpec) -> None:
    meeting_rooms = [room for room in spec.plan.rooms if room.seats]
    for number, room in enumerate(meeting_rooms, start=1):
        amenities = ["whiteboard", "accessible"]
        if room.seats >= 6:
            amenities.append("video-conferencing")
        ensure_resource(
            floor,
            code=f"{spec.level}.R{number}",
            kind=ResourceKind.MEETING_ROOM,
            xy=room.box.center,
            name=room.name,
            capacity=room.seats,
            amenities=amenities,
        )


def ensure_parking_spots(floor: Floor, spec: FloorSpec) -> None:
    for number, bay in enumerate(spec.plan.parking_bays, start=1):
        ensure_resource(
            floor,
            code=f"P{number:02d}",
            kind=ResourceKind.PARKING_SPOT,
            xy=(bay.x, bay.y),
            amenities=["ev-charger"] if bay.ev else [],
        )


def ensure_resource(
    floor: Floor,
    *,
    code: str,
    kind: str,
    xy: tuple[int, int],
    amenities: list[str],
    zone: Zone | None = None,
    name: str = "",
    capacity: int = 1,
) -> Resource:
    resource, created = Resource.objects.get_or_create(
        floor=floor,
        code=code,
        defaults={
            "organization_id": floor.organization_id,
            "kind": kind,
            "x": xy[0],
            "y": xy[1],
            "zone": zone,
            "name": name,
            "capacity": capacity,
        },
    )
    if created and amenities:
        resource.amenities.set(Amenity.objects.filter(slug__in=amenities))
    return resource


def ensure_policies(
    organization: Organization, specs: tuple[BuildingSpec, ...], buildings: dict[str, Building]
) -> None:
    for kind, rules in POLICY_RULES.items():
        policy, created = BookingPolicy.objects.get_or_create(
            organization=organization, building=None, resource_kind=kind, defaults=rules
        )
        if created:
            add_working_week(policy, *OPENING_HOURS)
    for spec in specs:
        if spec.desk_hours is None:
            continue
        policy, created = BookingPolicy.objects.get_or_create(
            organization=organization,
            building=buildings[spec.name],
            resource_kind=ResourceKind.DESK,
        )
        if created:
            add_working_week(policy, *spec.desk_hours)


def add_working_week(policy: BookingPolicy, opens: time, closes: time) -> None:
    """Open the policy Monday to Friday; closed at the weekend."""
    OpeningHours.objects.bulk_create(
        [OpeningHours(policy=policy, weekday=day, opens=opens, closes=closes) for day in range(5)]
        + [OpeningHours(policy=policy, weekday=day, closed=True) for day in (5, 6)]
    )


# People


def ensure_people(
    organization: Organization,
    people: tuple[Person, ...],
    buildings: dict[str, Building],
    *,
    password_hash: str,
) -> None:
    emails = [person.email for person in people]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    for person in people:
        if person.email in existing:
            continue
        user = create_member(
            organization=organization,
            email=person.email,
            full_name=person.name,
            role=person.role,
            email_verified=True,
        )
        user.password = password_hash
        user.save(update_fields=["password"])
        set_privacy(user, person, buildings)


# Where demo people live, with weights: enough in a few areas to show in the mobility figures
# (k = 5), and a scattering that is merged into "other".
POSTAL_CODES = {
    "Amsterdam HQ": [("1011 AB", 6), ("1071 KL", 3), ("1093 TR", 1), ("2011 HP", 1)],
    "New York": [("10001", 5), ("11201", 3), ("07302", 2)],
    "Globex House": [("SW1A 1AA", 3), ("E1 6AN", 2)],
}


def demo_postal_code(person: Person) -> str:
    codes = POSTAL_CODES.get(person.home, [])
    if not codes:
        return ""
    values, weights = zip(*codes, strict=True)
    return random.Random(f"home/{person.email}").choices(values, weights=weights)[0]


def set_privacy(user: User, person: Person, buildings: dict[str, Building]) -> None:
    profile = user.profile
    profile.postal_code = demo_postal_code(person)
    findable, name_on_plans, share_presence = PRIVACY[person.privacy]
    profile.findable = findable
    profile.name_on_plans = name_on_plans
    profile.share_presence_by_default = share_presence
    profile.default_building = buildings[person.home] if person.default_building else None
    profile.save(
        update_fields=[
            "postal_code",
            "findable",
            "name_on_plans",
            "share_presence_by_default",
            "default_building",
        ]
    )


def ensure_superuser(password_hash: str) -> None:
    if User.objects.filter(email__iexact=SUPERUSER_EMAIL).exists():
        return
    with transaction.atomic():
        user = User.objects.create_superuser(SUPERUSER_EMAIL, full_name="Platform admin")
        user.password = password_hash
        user.save(update_fields=["password"])
        # Log-in needs a verified address (mandatory verification), as for everyone else.
        EmailAddress.objects.create(user=user, email=SUPERUSER_EMAIL, primary=True, verified=True)


# Bookings


class Ledger:
    """Who holds what on which day in the coming weeks; books through the service."""

    def __init__(self, organization: Organization, *, now: datetime):
        self.now = now
        self.added = 0
        self.refused = 0
        self.person_days: set[tuple[int, str, date]] = set()
        self.resource_days: set[tuple[int, date]] = set()
        holding = (
            Booking.objects.for_organization(organization)
            .filter(status__in=HOLDING_STATUSES, start__gte=now - timedelta(days=1))
            .select_related("resource__floor__building")
        )
        for booking in holding:
            day = timezone.localdate(booking.start, booking.resource.floor.building.tz)
            self._remember(booking.user_id, booking.resource, day)

    def has(self, user: User, kind: str, day: date) -> bool:
        return (user.pk, kind, day) in self.person_days

    def is_free(self, resource: Resource, day: date) -> bool:
        return (resource.pk, day) not in self.resource_days

    def book(self, user: User, resource: Resource, start: datetime, end: datetime) -> bool:
        """Book unless the person already holds this kind that day; return whether booked."""
        day = start.date()
        if self.has(user, resource.kind, day):
            return False
        try:
            # Demo people don't need 340 confirmation e-mails.
            create_booking(
                user=user, resource=resource, start=start, end=end, notify=False, now=self.now
            )
        except BookingError:
            self.refused += 1
            return False
        self._remember(user.pk, resource, day)
        self.added += 1
        return True

    def _remember(self, user_id: int, resource: Resource, day: date) -> None:
        self.person_days.add((user_id, resource.kind, day))
        self.resource_days.add((resource.pk, day))


def seed_history(spec: OrganizationSpec, organization: Organization, *, now: datetime) -> int:
    """Play out the past weeks through the services, as each day would have gone.

    Once only: an organisation with bookings before today already has its history.
    """
    today_start = datetime.combine(timezone.localdate(now), time(0), tzinfo=now.tzinfo)
    if Booking.objects.for_organization(organization).filter(start__lt=today_start).exists():
        return 0
    users = _users_of(spec)
    played = 0
    # Nobody is told about no-shows from before the demo existed.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for building in Building.objects.for_organization(organization):
            today = timezone.localdate(now, building.tz)
            for offset in range(HISTORY_DAYS, 0, -1):
                day = today - timedelta(days=offset)
                if day.weekday() >= 5:
                    continue
                # Booked early that morning, in the building's own time zone.
                morning = datetime.combine(day, time(5), tzinfo=building.tz)
                ledger = Ledger(organization, now=morning)
                book_building_day(ledger, spec, building, users, day)
                played += ledger.added
                for booking in Booking.objects.filter(
                    resource__floor__building=building,
                    status=BookingStatus.CONFIRMED,
                    created_at=morning,
                ):
                    play_booking(booking)
                release_no_shows(now=datetime.combine(day, time(23), tzinfo=building.tz))
    return played


def play_booking(booking: Booking) -> None:
    """Check the person in (mostly) and out, at times drawn from the booking itself."""
    rng = random.Random(f"history/{booking.pk}")
    if rng.random() > CHECK_IN_SHARE:
        return
    arrived = booking.start + timedelta(minutes=rng.randrange(0, 10))
    left = booking.end - timedelta(minutes=rng.randrange(0, 60))
    try:
        check_in(booking=booking, method=CheckInMethod.QR, now=arrived)
    except BookingError:
        return  # Outside its check-in window after all: it becomes a no-show.
    check_out(booking=booking, now=max(left, arrived + timedelta(minutes=30)))


def seed_bookings(spec: OrganizationSpec, organization: Organization, *, now: datetime) -> Ledger:
    """Book desks, parking and meetings for the coming working days."""
    ledger = Ledger(organization, now=now)
    users = _users_of(spec)
    for building in Building.objects.for_organization(organization):
        for day in working_days(building.tz, now=now):
            book_building_day(ledger, spec, building, users, day)
    return ledger


def _users_of(spec: OrganizationSpec) -> dict[str, User]:
    people = User.objects.filter(email__in=[p.email for p in spec.people])
    return {user.email: user for user in people.select_related("membership__organization")}


def book_building_day(
    ledger: Ledger, spec: OrganizationSpec, building: Building, users: dict, day: date
) -> None:
    people = [(p, users[p.email]) for p in spec.people if p.home == building.name]
    resources = list(
        Resource.objects.filter(floor__building=building, is_active=True)
        .select_related("zone", "floor__building")
        .order_by("floor__level", "code")
    )
    book_office_day(ledger, people, resources, day, tz=building.tz)
    present = [user for _, user in people if ledger.has(user, ResourceKind.DESK, day)]
    book_meetings(ledger, present, resources, day, tz=building.tz, key=building.name)


def working_days(tz: ZoneInfo, *, now: datetime) -> list[date]:
    today = timezone.localdate(now, tz)
    days = (today + timedelta(days=offset) for offset in range(BOOKING_DAYS))
    return [day for day in days if day.weekday() < 5]


def next_slot(now: datetime, tz: ZoneInfo) -> datetime:
    """Return the first whole half hour after `now`, in local time."""
    local = timezone.localtime(now, tz)
    floored = local.replace(minute=local.minute - local.minute % 30, second=0, microsecond=0)
    return floored + timedelta(minutes=30)


@dataclass(frozen=True)
class OfficeDay:
    """One person's plan for one day, drawn in full before looking at what is free."""

    arrival: time
    departure: time
    parks: bool
    desk_draw: float
    spot_draw: float


def plan_office_day(person: Person, day: date) -> OfficeDay | None:
    """Return the person's plan for `day`, or None when they work elsewhere that day."""
    # Seeded by person and day, with a fixed number of draws: the same plan on every run,
    # whatever else has been booked by then.
    rng = random.Random(f"{person.email}/{day.isoformat()}")
    comes_in = rng.random() < ATTENDANCE
    plan = OfficeDay(
        arrival=rng.choice(ARRIVALS),
        departure=rng.choice(DEPARTURES),
        parks=rng.random() < PARKING_SHARE and person.drives,
        desk_draw=rng.random(),
        spot_draw=rng.random(),
    )
    return plan if comes_in else None


def pick(items: list, draw: float):
    """Return the item at `draw` (0 <= draw < 1) of the way along `items`."""
    return items[int(draw * len(items))]


def book_office_day(
    ledger: Ledger,
    people: list[tuple[Person, User]],
    resources: list[Resource],
    day: date,
    *,
    tz: ZoneInfo,
) -> None:
    desks = [r for r in resources if r.kind == ResourceKind.DESK]
    parking_spots = [r for r in resources if r.kind == ResourceKind.PARKING_SPOT]
    for person, user in people:
        plan = plan_office_day(person, day)
        if plan is None:
            continue
        # Today starts at the next half hour: the service refuses times already past.
        start = max(datetime.combine(day, plan.arrival, tzinfo=tz), next_slot(ledger.now, tz))
        end = datetime.combine(day, plan.departure, tzinfo=tz)
        if end - start < timedelta(hours=1):
            continue
        free_desks = usual_free_desks(ledger, person, desks, day)
        if free_desks:
            ledger.book(user, pick(free_desks, plan.desk_draw), start, end)
        free_spots = [spot for spot in parking_spots if ledger.is_free(spot, day)]
        if plan.parks and free_spots:
            ledger.book(user, pick(free_spots, plan.spot_draw), start, end)


def usual_free_desks(
    ledger: Ledger, person: Person, desks: list[Resource], day: date
) -> list[Resource]:
    """Return the free desks of the person's usual neighbourhood, or any free desks."""
    free = [desk for desk in desks if ledger.is_free(desk, day)]
    zones = sorted({desk.zone.name for desk in desks if desk.zone})
    if not zones:
        return free
    usual = random.Random(person.email).choice(zones)
    return [desk for desk in free if desk.zone and desk.zone.name == usual] or free


def book_meetings(
    ledger: Ledger,
    present: list[User],
    resources: list[Resource],
    day: date,
    *,
    tz: ZoneInfo,
    key: str,
) -> None:
    """Fill each meeting room with a few meetings, organised by people in that day."""
    if not present:
        return
    rng = random.Random(f"meetings/{key}/{day.isoformat()}")
    for room in (r for r in resources if r.kind == ResourceKind.MEETING_ROOM):
        start = datetime.combine(day, time(9), tzinfo=tz) + timedelta(minutes=rng.choice((0, 30)))
        while start.hour < 17:
            end = start + timedelta(minutes=rng.choice(MEETING_MINUTES))
            organizer = pick(present, rng.random())
            if start >= ledger.now:
                ledger.book(organizer, room, start, end)
            start = end + timedelta(minutes=rng.choice(MEETING_GAPS))
