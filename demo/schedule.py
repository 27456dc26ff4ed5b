"""The demo's bookings: who comes in on which working day, at what time, to which desk.

Every draw is seeded by person and day, so a run books what an earlier run booked, and a
booking is only added for a person and day that has none of its kind yet: a second run
refreshes the coming two weeks and duplicates nothing. Every booking goes through the service.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from bookings.models import HOLDING_STATUSES, Booking
from bookings.services import BookingError, create_booking
from demo.organizations import OrganizationSpec, Person
from locations.models import Building, Resource, ResourceKind
from profiles.models import Organization, User

# How far ahead the demo books, and its booking policies' horizon.
BOOKING_DAYS = 14
# Share of working days a person comes in, and of those a driver parks at the office.
ATTENDANCE = 0.65
PARKING_SHARE = 0.7
ARRIVALS = (time(8), time(8, 30), time(9), time(9, 30))
DEPARTURES = (time(16), time(16, 30), time(17), time(17, 30), time(18))
MEETING_MINUTES = (30, 60, 60, 90)
MEETING_GAPS = (30, 60, 120)


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


def seed_bookings(spec: OrganizationSpec, organization: Organization, *, now: datetime) -> Ledger:
    """Book desks, parking and meetings for the coming working days."""
    ledger = Ledger(organization, now=now)
    users = users_of(spec)
    for building in Building.objects.for_organization(organization):
        for day in working_days(building.tz, now=now):
            book_building_day(ledger, spec, building, users, day)
    return ledger


def users_of(spec: OrganizationSpec) -> dict[str, User]:
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
