from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from django.db.models import Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, QuerySet
from django.utils import timezone

from bookings.models import Booking, BookingStatus, CheckIn, FavoriteResource
from bookings.occupancy import occupied_resource_ids
from bookings.policies import Policy, effective_policy
from locations.models import Amenity, Building, Closure, Floor, Resource, Zone
from profiles.models import Organization, User
from profiles.visibility import may_see_name_on_plan, may_see_presence, names_on_plan

# What a resource on the plan is, for the period searched. Each state has a colour, a shape
# and a word, so colour is never the only signal.
FREE = "free"
BOOKED = "booked"
MINE = "mine"
UNAVAILABLE = "unavailable"
OCCUPIED = "occupied"

# Used when a building is open around the clock: nobody means midnight to midnight.
WORKING_DAY = (time(8), time(18))
MIDDAY = time(12, 30)


@dataclass(frozen=True)
class Search:
    """What a person is looking for: a period on one floor, and what the resource must offer."""

    building: Building
    floor: Floor
    day: date
    start: datetime
    end: datetime
    kind: str
    zone: Zone | None = None
    amenities: tuple[Amenity, ...] = ()
    min_capacity: int = 1


@dataclass(frozen=True, slots=True)
class PlanPlace:
    """The few facts the plan shows of a resource: cheaper than a model instance, and a floor
    has hundreds of them."""

    pk: int
    code: str
    kind: str
    x: int
    y: int
    capacity: int
    is_active: bool
    zone_id: int | None
    zone_name: str | None


@dataclass
class PlanResource:
    resource: PlanPlace
    state: str
    booker_name: str
    is_favourite: bool
    matches: bool
    amenities: list[Amenity]

    @property
    def is_bookable(self) -> bool:
        return self.matches and self.state == FREE


def upcoming_bookings(*, organization: Organization, user: User) -> QuerySet[Booking]:
    """Return the person's bookings that hold a resource now or later, soonest first."""
    return (
        Booking.objects.for_organization(organization)
        .active()
        .filter(user=user, end__gt=timezone.now())
        .select_related("resource__floor__building", "check_in")
        .order_by("start")
    )


def past_bookings(*, organization: Organization, user: User, limit: int = 50) -> list[Booking]:
    """Return the person's most recent bookings that are over, cancelled or released."""
    now = timezone.now()
    return list(
        Booking.objects.for_organization(organization)
        .filter(user=user)
        .filter(
            Q(end__lte=now)
            | Q(
                status__in=[
                    BookingStatus.CANCELLED,
                    BookingStatus.RELEASED,
                    BookingStatus.COMPLETED,
                ]
            )
        )
        .select_related("resource__floor__building", "check_in")
        .order_by("-start")[:limit]
    )


def opening_or_working_day(policy: Policy, day: date, tz) -> tuple[datetime, datetime] | None:
    """Return the period a full-day booking covers: the opening hours, or a working day."""
    period = policy.opening_period(day, tz)
    if period is None:
        return None
    opens, closes = period
    if closes - opens >= timedelta(hours=24):
        return (
            datetime.combine(day, WORKING_DAY[0], tzinfo=tz),
            datetime.combine(day, WORKING_DAY[1], tzinfo=tz),
        )
    return period


def preset_period(policy: Policy, day: date, tz, preset: str) -> tuple[datetime, datetime] | None:
    """Return the full-day, morning or afternoon period of a day, or None when closed."""
    period = opening_or_working_day(policy, day, tz)
    if period is None:
        return None
    opens, closes = period
    midday = datetime.combine(day, MIDDAY, tzinfo=tz)
    if preset == "morning" and opens < midday < closes:
        return opens, midday
    if preset == "afternoon" and opens < midday < closes:
        return midday, closes
    return period


def next_bookable_period(policy: Policy, tz, now: datetime) -> tuple[datetime, datetime] | None:
    """Return the rest of today's hours if a booking still fits, else the next open day's.

    Today's period starts at the current slot: a booking may start in the slot under way,
    never before it.
    """
    today = timezone.localtime(now, tz).date()
    for offset in range(0, policy.max_days_ahead + 1):
        period = opening_or_working_day(policy, today + timedelta(days=offset), tz)
        if period is None:
            continue
        start, end = max(period[0], current_slot_start(now, tz, policy.slot_minutes)), period[1]
        if end - start >= timedelta(minutes=policy.min_duration_minutes):
            return start, end
    return None


def current_slot_start(now: datetime, tz, slot_minutes: int) -> datetime:
    local = timezone.localtime(now, tz)
    minutes = local.hour * 60 + local.minute
    minutes -= minutes % slot_minutes
    return local.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)


def buildings_for(organization: Organization) -> QuerySet[Building]:
    return Building.objects.for_organization(organization).order_by("name")


def floors_for(building: Building) -> QuerySet[Floor]:
    return (
        Floor.objects.filter(building=building).select_related("building").order_by("level", "name")
    )


def floor_plan(*, viewer: User, search: Search, now: datetime | None = None) -> list[PlanResource]:
    """Return every resource of the searched kind on the floor, with its state for the period.

    A constant number of queries whatever the number of resources, and no more model
    instances than resources: a busy floor has hundreds of them and this runs on every
    change of a filter.
    """
    now = now or timezone.now()
    floor = search.floor
    resources = [
        PlanPlace(*row)
        for row in Resource.objects.filter(
            organization_id=floor.organization_id, floor=floor, kind=search.kind
        )
        .order_by("code")
        .values_list(
            "pk", "code", "kind", "x", "y", "capacity", "is_active", "zone_id", "zone__name"
        )
    ]
    amenities = _amenities_by_resource(floor, search.kind)
    holders: dict[int, int] = {}
    overlapping = (
        Booking.objects.active()
        .filter(resource__floor=floor, resource_kind=search.kind)
        .overlapping(search.start, search.end)
        # No ordering: the default one sorts by resource, then floor, then building name.
        .order_by()
        .values_list("resource_id", "user_id")
    )
    for resource_id, user_id in overlapping:
        # The viewer's own booking wins: "mine" says more than "booked".
        if holders.get(resource_id) != viewer.pk:
            holders[resource_id] = user_id
    names = names_on_plan(viewer, holders.values())
    closed = _closed_resource_ids(floor, resources, search.start, search.end)
    favourites = set(
        FavoriteResource.objects.filter(user=viewer, resource__floor=floor).values_list(
            "resource_id", flat=True
        )
    )
    live = search.start <= now < search.end
    occupied = occupied_resource_ids(r.pk for r in resources) if live else set()
    wanted_amenities = {amenity.pk for amenity in search.amenities}

    plan = []
    for resource in resources:
        holder = holders.get(resource.pk)
        if holder is not None:
            state = MINE if holder == viewer.pk else BOOKED
        elif not resource.is_active or resource.pk in closed:
            state = UNAVAILABLE
        elif resource.pk in occupied:
            state = OCCUPIED
        else:
            state = FREE
        offered = amenities.get(resource.pk, [])
        matches = (
            (search.zone is None or resource.zone_id == search.zone.pk)
            and wanted_amenities <= {amenity.pk for amenity in offered}
            and resource.capacity >= search.min_capacity
        )
        plan.append(
            PlanResource(
                resource=resource,
                state=state,
                booker_name=names.get(holder, "") if state == BOOKED else "",
                is_favourite=resource.pk in favourites,
                matches=matches,
                amenities=offered,
            )
        )
    return plan


def _amenities_by_resource(floor: Floor, kind: str) -> dict[int, list[Amenity]]:
    """Return each resource's amenities, sharing one instance per amenity."""
    shared: dict[int, Amenity] = {}
    offered: dict[int, list[Amenity]] = {}
    links = (
        Resource.amenities.through.objects.filter(resource__floor=floor, resource__kind=kind)
        .values_list("resource_id", "amenity_id", "amenity__slug", "amenity__name")
        .order_by()
    )
    for resource_id, amenity_id, slug, name in links:
        if amenity_id not in shared:
            shared[amenity_id] = Amenity(pk=amenity_id, slug=slug, name=name)
        offered.setdefault(resource_id, []).append(shared[amenity_id])
    for amenity_list in offered.values():
        amenity_list.sort(key=lambda amenity: amenity.name)
    return offered


def _closed_resource_ids(floor: Floor, resources: list[PlanPlace], start, end) -> set[int]:
    closures = Closure.objects.filter(organization_id=floor.organization_id).filter(
        start__lt=end, end__gt=start
    )
    closures = closures.filter(
        Q(building_id=floor.building_id) | Q(floor=floor) | Q(resource__floor=floor)
    ).values_list("building_id", "floor_id", "resource_id")
    closed: set[int] = set()
    for building_id, floor_id, resource_id in closures:
        if building_id or floor_id:
            return {resource.pk for resource in resources}
        closed.add(resource_id)
    return closed


def favourite_resources(*, organization: Organization, user: User) -> list[Resource]:
    return [
        favourite.resource
        for favourite in FavoriteResource.objects.for_organization(organization)
        .filter(user=user, resource__is_active=True)
        .select_related("resource__floor__building")
        .order_by("created_at")
    ]


def colleagues_present(*, viewer: User, organization: Organization) -> list[CheckIn]:
    """Return today's open check-ins of colleagues who let the viewer see where they are."""
    check_ins = (
        CheckIn.objects.for_organization(organization)
        .filter(checked_out_at__isnull=True, shares_presence=True)
        .exclude(user=viewer)
        .select_related(
            "user__profile",
            "user__membership__organization",
            "booking__resource__floor__building",
        )
        .order_by("user__full_name")
    )
    return [
        check_in
        for check_in in check_ins
        if may_see_presence(viewer, check_in.user, shared_at_check_in=check_in.shares_presence)
    ]


# What the page behind a resource's QR code offers the person who scanned it.
CHECKED_IN = "checked_in"
CHECK_IN = "check_in"
NOT_OPEN = "not_open"
TAKEN = "taken"
WALK_IN = "walk_in"
CLOSED = "closed"

NEAREST_FREE_COUNT = 3


@dataclass(frozen=True)
class Landing:
    """Which of the check-in cases applies to a person who scanned a resource's code."""

    case: str
    resource: Resource
    # The person's own booking here (CHECKED_IN, CHECK_IN, NOT_OPEN), or the holder's (TAKEN).
    booking: Booking | None = None
    check_in: CheckIn | None = None
    # NOT_OPEN: when check-in opens, or None when it has closed.
    check_in_opens: datetime | None = None
    taken_until: datetime | None = None
    booker_name: str = ""
    # WALK_IN: how long a walk-in would book the resource.
    walk_in_until: datetime | None = None
    # The person's open check-in at another resource, which checking in here would end.
    checked_in_elsewhere: CheckIn | None = None
    # TAKEN: when the holder's booking starts, if it has not started yet.
    taken_from: datetime | None = None
    nearest_free: tuple[Resource, ...] = ()
    # The rest of today in which the nearest free resources are free.
    free_from: datetime | None = None
    free_until: datetime | None = None


def checkin_landing(*, user: User, resource: Resource, now: datetime) -> Landing:
    """Return what the check-in page of `resource` offers `user` at `now`.

    `resource` comes with its floor and building. A constant number of queries: the
    resource's remaining bookings of the day, the person's open check-in, closures and the
    nearest free resources (plus the policy when it is not cached).
    """
    building = resource.floor.building
    tz = building.tz
    policy = effective_policy(organization=user.organization, building=building, kind=resource.kind)
    today = timezone.localtime(now, tz).date()
    period = policy.opening_period(today, tz)
    day_end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz)
    free_until = period[1] if period is not None and period[1] > now else None

    bookings = list(
        Booking.objects.active()
        .filter(resource=resource, end__gt=now, start__lt=day_end)
        .select_related("user__profile", "user__membership__organization", "check_in")
        .order_by("start")
    )
    elsewhere = (
        CheckIn.objects.filter(user=user, checked_out_at__isnull=True)
        .exclude(booking__resource=resource)
        .select_related("booking__resource")
        .first()
    )
    # A booking may start in the slot under way, never before it.
    start = current_slot_start(now, tz, policy.slot_minutes)
    landing = partial(
        Landing,
        resource=resource,
        checked_in_elsewhere=elsewhere,
        free_from=start,
        free_until=free_until,
    )

    mine = [b for b in bookings if b.user_id == user.pk]
    for booking in mine:
        if booking.status == BookingStatus.CHECKED_IN:
            return landing(CHECKED_IN, booking=booking, check_in=booking.check_in)
    for booking in mine:
        if booking.status == BookingStatus.CONFIRMED:
            opens, closes = policy.check_in_window(booking.start, booking.end)
            if opens <= now < closes:
                return landing(CHECK_IN, booking=booking)

    # The same end walk_in() books: closing time, the next booking, or the longest allowed.
    walk_in_until = min(free_until or now, start + timedelta(minutes=policy.max_duration_minutes))
    if bookings:
        walk_in_until = min(walk_in_until, bookings[0].start)
    holder = next((b for b in bookings if b.start <= now and b.user_id != user.pk), None)
    too_short = walk_in_until - start < timedelta(minutes=policy.min_duration_minutes)
    if holder is None and too_short and bookings and bookings[0].user_id != user.pk:
        # Free for less than the shortest booking allows: as good as taken.
        holder = bookings[0]
    if holder is not None:
        return landing(
            TAKEN,
            booking=holder,
            taken_until=_held_until(holder, bookings),
            taken_from=holder.start if holder.start > now else None,
            booker_name=holder.user.display_name if may_see_name_on_plan(user, holder.user) else "",
            nearest_free=_nearest_free(resource, now, free_until),
        )

    upcoming = next((b for b in mine if b.status == BookingStatus.CONFIRMED), None)
    if upcoming is not None:
        opens, closes = policy.check_in_window(upcoming.start, upcoming.end)
        return landing(NOT_OPEN, booking=upcoming, check_in_opens=opens if now < opens else None)

    if free_until is None or not resource.is_active or _is_closed(resource, now, free_until):
        return landing(CLOSED, nearest_free=_nearest_free(resource, now, free_until))

    return landing(WALK_IN, walk_in_until=walk_in_until)


def _held_until(holder: Booking, bookings: list[Booking]) -> datetime:
    """Return when the resource is free again: back-to-back bookings count as one."""
    until = holder.end
    for booking in bookings:
        if booking.start <= until:
            until = max(until, booking.end)
    return until


def _is_closed(resource: Resource, start: datetime, end: datetime) -> bool:
    return (
        Closure.objects.filter(organization_id=resource.organization_id)
        .filter(start__lt=end, end__gt=start)
        .filter(
            Q(resource=resource)
            | Q(floor_id=resource.floor_id)
            | Q(building_id=resource.floor.building_id)
        )
        .exists()
    )


def _nearest_free(resource: Resource, now: datetime, until: datetime | None) -> tuple:
    """Return the resources of the same kind on the same floor, nearest first, that nobody
    holds from now to closing time, in one query."""
    if until is None:
        return ()
    holding = Booking.objects.active().filter(resource=OuterRef("pk"), start__lt=until, end__gt=now)
    closures = Closure.objects.filter(organization_id=resource.organization_id).filter(
        start__lt=until, end__gt=now
    )
    closed = closures.filter(
        Q(resource=OuterRef("pk"))
        | Q(floor_id=OuterRef("floor_id"))
        | Q(building_id=OuterRef("floor__building_id"))
    )
    dx = F("x") - resource.x
    dy = F("y") - resource.y
    candidates = (
        Resource.objects.filter(
            organization_id=resource.organization_id,
            floor_id=resource.floor_id,
            kind=resource.kind,
            is_active=True,
        )
        .exclude(pk=resource.pk)
        .exclude(Exists(holding))
        .exclude(Exists(closed))
        # Squared distance sorts the same as the distance, without a square root.
        .annotate(distance=ExpressionWrapper(dx * dx + dy * dy, output_field=IntegerField()))
        .order_by("distance", "code")
    )
    return tuple(candidates[:NEAREST_FREE_COUNT])


def holding_bookings(
    *, organization: Organization, person_ids: list[int], start: datetime, end: datetime
) -> QuerySet[Booking]:
    """Return the people's bookings that hold a resource in [start, end), soonest first."""
    return (
        Booking.objects.for_organization(organization)
        .active()
        .filter(user_id__in=person_ids)
        .overlapping(start, end)
        .select_related("resource__floor__building")
        .order_by("start")
    )


def open_shared_check_ins(*, organization: Organization, person_ids) -> QuerySet[CheckIn]:
    """Return the people's open check-ins that they chose to share with colleagues."""
    return (
        CheckIn.objects.for_organization(organization)
        .filter(user_id__in=person_ids, checked_out_at__isnull=True, shares_presence=True)
        .select_related("booking__resource__floor__building")
    )
