"""Anonymous statistics: usage per resource per day and hour, and mobility per postal area.

A booking belongs to the local day (in its building's time zone) on which it starts. A day of
an organisation is counted once: `aggregate_day` claims its `AggregationWatermark` row in the
same transaction that writes the counts, so the nightly run, retention and erasure never
count it twice. Bookings of a day that is not over yet can be folded in one by one
(`fold_bookings`, used by erasure): they are deleted right after, so the nightly count of that
day, which adds to the same rows, no longer sees them.

Per building, kind and day the count also keeps how many distinct people booked, which the
facility dashboard needs for k-anonymity. Person ids are only held in memory while counting.

Mobility (where the people of a building live, by postal-code area) is published differently.
k-anonymity per figure does not survive republication: the dashboard showed "other: 10", one
more person chose the building, and it showed "1011: 5, other: 6", which gives away that
person's area. No exact, deterministic figure can avoid this: whatever rule it follows, some
single person's arrival pushes some figure across its line. So the figures are differentially
private, and drawn once per month:

- Once a month (the first statistics run of the month) a `MobilitySnapshot` is drawn for the
  organisation and frozen: later runs that month change nothing, so looking again, or a person
  arriving, leaving or moving mid-month, shows nothing new. The noise is drawn with the
  operating system's random source and stored; it is never drawn again for a view.
- Per building, each area's true count gets independent two-sided geometric noise (the
  discrete Laplace mechanism) with P(noise = z) proportional to exp(-MOBILITY_EPSILON * |z|),
  and so does the building's total. An area is published only when its noisy count reaches
  MOBILITY_THRESHOLD; "other" is the noisy total minus the published areas, shown when it is at
  least K_ANONYMITY. Both are computed from noisy figures only (post-processing).

The guarantee, per monthly snapshot: one person joining or leaving a building changes one area
count and the total by one each, so any published outcome becomes at most
exp(2 * MOBILITY_EPSILON) times more or less likely (epsilon = 2), except with probability
delta = P(noise >= MOBILITY_THRESHOLD - 1) ~ 0.07% that an area holding that person alone is
published. Moving to another area of the same building changes two area counts: epsilon = 2,
delta twice that. Moving between buildings is leaving one and joining another: epsilon = 4.
Snapshots of different months compose: n months give at most n times these figures. Which area
a person lives in therefore stays hidden in every comparison of published figures; what the
figures show is areas where many people live, give or take a few.
"""

import logging
import math
import random
import secrets
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from bookings.models import HOLDING_STATUSES, Booking, BookingStatus, CheckIn
from locations.models import Building, Resource
from privacy.models import (
    AggregationWatermark,
    BuildingDayStatistic,
    MobilitySnapshot,
    MobilityStatistic,
    UsageStatistic,
)
from profiles.models import Organization, Profile

logger = logging.getLogger(__name__)

# Cells of counts derived from people cover at least this many distinct people.
K_ANONYMITY = 5
OTHER_AREA = "other"
# Mobility: the privacy loss per published figure (see the module docstring), and the noisy
# count from which an area is published. P(noise >= 7) = e**-7 / (1 + e**-1) ~ 0.00067.
MOBILITY_EPSILON = 1.0
MOBILITY_THRESHOLD = 8

BATCH_SIZE = 500


@dataclass
class _Counts:
    bookings: int = 0
    check_ins: int = 0
    no_shows: int = 0
    cancellations: int = 0
    booked_minutes: int = 0
    checked_in_minutes: int = 0


@dataclass(frozen=True)
class _ResourceInfo:
    building_id: int
    floor_id: int
    zone_id: int | None
    kind: str


@dataclass
class _BuildingCounts:
    # In memory only: the stored row keeps len(user_ids), never the ids.
    user_ids: set[int] = field(default_factory=set)
    bookings: int = 0
    check_ins: int = 0
    no_shows: int = 0
    booked_minutes: int = 0
    checked_in_minutes: int = 0


@dataclass(frozen=True)
class _BuildingCell:
    building_id: int
    date: date
    kind: str


@dataclass(frozen=True)
class _Cell:
    resource_id: int
    date: date
    hour: int | None


def local_day(booking: Booking) -> date:
    """Return the day a booking is counted on: its start's date in its building's zone."""
    return booking.start.astimezone(booking.resource.floor.building.tz).date()


def _minutes(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


def _hourly_minutes(start: datetime, end: datetime, tz: zoneinfo.ZoneInfo) -> dict[int, int]:
    """Return the minutes of [start, end) in each local hour.

    Walking hour boundaries in UTC: on the day clocks go back, the hour 02:00-03:00 happens
    twice and both fall into hour 2; on the day they go forward hour 2 gets nothing.
    """
    minutes: Counter[int] = Counter()
    moment = start
    while moment < end:
        local = moment.astimezone(tz)
        hour_start = local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
        boundary = min(end, hour_start + timedelta(hours=1))
        if boundary <= moment:  # a zone whose hours don't start on the UTC hour's grid
            boundary = min(end, moment + timedelta(hours=1))
        minutes[local.hour] += _minutes(moment, boundary)
        moment = boundary
    return dict(minutes)


def _count_into(
    cells: dict[_Cell, _Counts], meta: dict[int, _ResourceInfo], booking: Booking
) -> None:
    resource = booking.resource
    building = resource.floor.building
    meta.setdefault(
        resource.pk,
        _ResourceInfo(
            building_id=building.pk,
            floor_id=resource.floor_id,
            zone_id=resource.zone_id,
            kind=resource.kind,
        ),
    )
    day = local_day(booking)
    start_hour = booking.start.astimezone(building.tz).hour
    whole_day = cells.setdefault(_Cell(resource.pk, day, None), _Counts())
    at_start = cells.setdefault(_Cell(resource.pk, day, start_hour), _Counts())
    check_in = _check_in_of(booking)
    for counts in (whole_day, at_start):
        counts.bookings += 1
        counts.no_shows += booking.status == BookingStatus.RELEASED
        counts.cancellations += booking.status == BookingStatus.CANCELLED
        counts.check_ins += check_in is not None
    if booking.status in HOLDING_STATUSES:
        whole_day.booked_minutes += _minutes(booking.start, booking.end)
        for hour, minutes in _hourly_minutes(booking.start, booking.end, building.tz).items():
            cells.setdefault(_Cell(resource.pk, day, hour), _Counts()).booked_minutes += minutes
    if check_in is not None:
        left = check_in.checked_out_at or max(booking.end, check_in.checked_in_at)
        whole_day.checked_in_minutes += _minutes(check_in.checked_in_at, left)
        for hour, minutes in _hourly_minutes(check_in.checked_in_at, left, building.tz).items():
            cells.setdefault(_Cell(resource.pk, day, hour), _Counts()).checked_in_minutes += minutes


def _count_building_into(buildings: dict[_BuildingCell, _BuildingCounts], booking: Booking) -> None:
    # A cancelled booking is no use of the building, and its person is not counted either.
    if booking.status == BookingStatus.CANCELLED:
        return
    resource = booking.resource
    cell = _BuildingCell(resource.floor.building_id, local_day(booking), resource.kind)
    counts = buildings.setdefault(cell, _BuildingCounts())
    counts.user_ids.add(booking.user_id)
    counts.bookings += 1
    counts.no_shows += booking.status == BookingStatus.RELEASED
    if booking.status in HOLDING_STATUSES:
        counts.booked_minutes += _minutes(booking.start, booking.end)
    check_in = _check_in_of(booking)
    if check_in is not None:
        counts.check_ins += 1
        left = check_in.checked_out_at or max(booking.end, check_in.checked_in_at)
        counts.checked_in_minutes += _minutes(check_in.checked_in_at, left)


def _check_in_of(booking: Booking) -> CheckIn | None:
    try:
        return booking.check_in
    except CheckIn.DoesNotExist:
        return None


def _store(
    organization_id: int, cells: dict[_Cell, _Counts], meta: dict[int, _ResourceInfo]
) -> None:
    """Add the counts to the statistics rows, creating the rows that don't exist yet."""
    if not cells:
        return
    by_day: dict[date, list[_Cell]] = defaultdict(list)
    for cell in cells:
        by_day[cell.date].append(cell)
    names = [f.name for f in fields(_Counts)]
    for day, day_cells in by_day.items():
        resource_ids = {cell.resource_id for cell in day_cells}
        existing = {
            _Cell(row.resource_id, row.date, row.hour): row
            for row in UsageStatistic.objects.select_for_update().filter(
                date=day, resource_id__in=resource_ids
            )
        }
        to_update, to_create = [], []
        for cell in day_cells:
            counts = cells[cell]
            row = existing.get(cell)
            if row is None:
                info = meta[cell.resource_id]
                to_create.append(
                    UsageStatistic(
                        organization_id=organization_id,
                        building_id=info.building_id,
                        floor_id=info.floor_id,
                        zone_id=info.zone_id,
                        resource_id=cell.resource_id,
                        resource_kind=info.kind,
                        date=cell.date,
                        hour=cell.hour,
                        **{name: getattr(counts, name) for name in names},
                    )
                )
            else:
                for name in names:
                    setattr(row, name, getattr(row, name) + getattr(counts, name))
                to_update.append(row)
        UsageStatistic.objects.bulk_update(to_update, names, batch_size=BATCH_SIZE)
        UsageStatistic.objects.bulk_create(to_create, batch_size=BATCH_SIZE)


def _store_buildings(organization_id: int, buildings: dict[_BuildingCell, _BuildingCounts]) -> None:
    """Add the counts to the building rows, creating the rows that don't exist yet.

    Adding distinct people is exact only because the only rows counted twice for a day are
    erasure's: `fold_bookings` gets all bookings of one person, which are deleted right after,
    so that person is not among the people the nightly count of the day finds.
    """
    if not buildings:
        return
    building_ids = {cell.building_id for cell in buildings}
    # Resources have no history: what is bookable when the day is counted stands for the day.
    resources = {
        (row["floor__building_id"], row["kind"]): row["n"]
        for row in Resource.objects.filter(floor__building_id__in=building_ids, is_active=True)
        .values("floor__building_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    existing = {
        _BuildingCell(row.building_id, row.date, row.resource_kind): row
        for row in BuildingDayStatistic.objects.select_for_update().filter(
            building_id__in=building_ids, date__in={cell.date for cell in buildings}
        )
    }
    names = ["bookings", "check_ins", "no_shows", "booked_minutes", "checked_in_minutes"]
    to_update, to_create = [], []
    for cell, counts in buildings.items():
        row = existing.get(cell)
        if row is None:
            row = BuildingDayStatistic(
                organization_id=organization_id,
                building_id=cell.building_id,
                date=cell.date,
                resource_kind=cell.kind,
            )
            to_create.append(row)
        else:
            to_update.append(row)
        row.people += len(counts.user_ids)
        for name in names:
            setattr(row, name, getattr(row, name) + getattr(counts, name))
        row.resources = resources.get((cell.building_id, cell.kind), 0)
    BuildingDayStatistic.objects.bulk_update(
        to_update, ["people", "resources", *names], batch_size=BATCH_SIZE
    )
    BuildingDayStatistic.objects.bulk_create(to_create, batch_size=BATCH_SIZE)


def _with_resources(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.select_related("resource__floor__building", "check_in")


def _count_and_store(organization_id: int, bookings) -> int:
    cells: dict[_Cell, _Counts] = {}
    meta: dict[int, _ResourceInfo] = {}
    buildings: dict[_BuildingCell, _BuildingCounts] = {}
    counted = 0
    for booking in bookings:
        _count_into(cells, meta, booking)
        _count_building_into(buildings, booking)
        counted += 1
    _store(organization_id, cells, meta)
    _store_buildings(organization_id, buildings)
    return counted


def aggregate_day(*, organization_id: int, day: date) -> int:
    """Count the organisation's bookings of `day` into the statistics; return how many.

    Returns 0 without counting when the day was counted before. Call it only for days that
    are over in every building of the organisation (see `last_complete_day`).
    """
    with transaction.atomic():
        try:
            # The claim and the counts commit together: a crash loses both, and of two
            # concurrent runs the second waits on the unique index, then finds the claim.
            with transaction.atomic():
                AggregationWatermark.objects.create(organization_id=organization_id, date=day)
        except IntegrityError:
            return 0
        # Every zone's local day lies within a day either side of the UTC day.
        window_start = datetime.combine(day - timedelta(days=1), datetime.min.time(), UTC)
        window_end = datetime.combine(day + timedelta(days=2), datetime.min.time(), UTC)
        candidates = _with_resources(
            Booking.objects.filter(
                organization_id=organization_id, start__gte=window_start, start__lt=window_end
            )
        )
        of_the_day = (b for b in candidates.iterator(chunk_size=BATCH_SIZE) if local_day(b) == day)
        return _count_and_store(organization_id, of_the_day)


def fold_bookings(*, organization_id: int, bookings: list[Booking]) -> int:
    """Add these bookings of days not counted yet to the statistics; return how many.

    The caller deletes them in the same transaction, so the later count of their day
    doesn't see them again. Pass all bookings of one person at a time: their building rows
    add this person to the people the later count finds (see `_store_buildings`).
    """
    return _count_and_store(organization_id, bookings)


def _time_zones(organization_id: int) -> list[str]:
    return list(
        Building.objects.filter(organization_id=organization_id)
        .values_list("time_zone", flat=True)
        .distinct()
    )


def last_complete_day(*, organization_id: int, now: datetime) -> date:
    """Return the last day that is over in every building of the organisation."""
    zones = _time_zones(organization_id) or ["UTC"]
    return min(now.astimezone(zoneinfo.ZoneInfo(tz)).date() for tz in zones) - timedelta(days=1)


def uncounted_days(*, bookings: QuerySet[Booking], organization_id: int) -> list[date]:
    """Return the local days of these bookings (of one organisation) not counted yet."""
    days: set[date] = set()
    for tz in _time_zones(organization_id):
        days.update(
            bookings.filter(
                organization_id=organization_id, resource__floor__building__time_zone=tz
            )
            .annotate(day=TruncDate("start", tzinfo=zoneinfo.ZoneInfo(tz)))
            .order_by()
            .values_list("day", flat=True)
            .distinct()
        )
    counted = set(
        AggregationWatermark.objects.filter(
            organization_id=organization_id, date__in=days
        ).values_list("date", flat=True)
    )
    return sorted(days - counted)


def aggregate_pending(*, now: datetime) -> int:
    """Count every organisation's days that are over and not counted yet; return how many."""
    aggregated = 0
    for organization_id in Organization.objects.order_by("pk").values_list("pk", flat=True):
        until = last_complete_day(organization_id=organization_id, now=now)
        latest_start = datetime.combine(until + timedelta(days=2), datetime.min.time(), UTC)
        days = uncounted_days(
            bookings=Booking.objects.filter(start__lt=latest_start),
            organization_id=organization_id,
        )
        for day in days:
            if day <= until and aggregate_day(organization_id=organization_id, day=day):
                aggregated += 1
    return aggregated


# Mobility: where people come from, by postal-code area.


def postal_area(postal_code: str, country: str) -> str | None:
    """Return the area of a postal code: its leading part, as defined per country."""
    code = postal_code.strip().upper()
    if not code:
        return None
    country = (country or "").upper()
    if country == "NL":
        digits = code[:4]
        return digits if len(digits) == 4 and digits.isdigit() else None
    if country == "GB":
        # The outward code: everything before the space, or before the 3-character inward code.
        compact = code.replace(" ", "")
        outward = code.split()[0] if " " in code else compact[:-3]
        return outward or None
    length = {"BE": 4, "DE": 2, "US": 3}.get(country, 2)
    area = code.replace(" ", "")[:length]
    return area if len(area) == length else None


def month_of(day: date) -> date:
    """Return the first day of the month of `day`: the period a mobility snapshot covers."""
    return day.replace(day=1)


def geometric_noise(rng: random.Random, *, epsilon: float = MOBILITY_EPSILON) -> int:
    """Return two-sided geometric noise: P(z) = (1 - a) / (1 + a) * a**|z|, a = exp(-epsilon).

    The difference of two geometric counts; each is drawn by Bernoulli trials rather than
    from a logarithm of a float, whose rounding would make some values impossible.
    """
    alpha = math.exp(-epsilon)

    def geometric() -> int:
        count = 0
        while rng.random() < alpha:
            count += 1
        return count

    return geometric() - geometric()


def publishable_areas(areas: Counter[str], *, rng: random.Random) -> dict[str, int]:
    """Return the figures to publish of one building's people per area (see module docstring).

    Every figure is computed from noisy counts only; none from a true count.
    """
    total = sum(areas.values()) + geometric_noise(rng)
    published = {}
    for area in sorted(areas):
        noisy = areas[area] + geometric_noise(rng)
        if noisy >= MOBILITY_THRESHOLD:
            published[area] = noisy
    other = total - sum(published.values())
    if other >= K_ANONYMITY:
        published[OTHER_AREA] = other
    return published


def _people_per_area(organization_id: int) -> dict[int, Counter[str]]:
    profiles = (
        Profile.objects.filter(
            user__membership__organization_id=organization_id,
            default_building__organization_id=organization_id,
        )
        .exclude(postal_code="")
        .select_related("default_building")
        .only("postal_code", "default_building__id", "default_building__country")
    )
    people: dict[int, Counter[str]] = defaultdict(Counter)
    for profile in profiles.iterator(chunk_size=BATCH_SIZE):
        building = profile.default_building
        area = postal_area(profile.postal_code, building.country)
        if area is not None:
            people[building.pk][area] += 1
    return people


def compute_mobility(*, organization_id: int, on: date, rng: random.Random | None = None) -> int:
    """Draw the organisation's mobility snapshot of the month of `on`; return rows written.

    Does nothing when that month's snapshot exists: it is frozen once drawn. `rng` is the
    source of the noise, the operating system's unless given (the demo passes a seeded one).
    """
    rng = rng or secrets.SystemRandom()
    with transaction.atomic():
        snapshot, created = MobilitySnapshot.objects.get_or_create(
            organization_id=organization_id, month=month_of(on), defaults={"computed_on": on}
        )
        if not created:
            return 0
        rows = [
            MobilityStatistic(
                snapshot=snapshot,
                organization_id=organization_id,
                building_id=building_id,
                area=area,
                people=count,
            )
            for building_id, areas in sorted(_people_per_area(organization_id).items())
            for area, count in publishable_areas(areas, rng=rng).items()
        ]
        MobilityStatistic.objects.bulk_create(rows)
    return len(rows)
