"""The booking rules that apply to one resource kind in one building, merged from their layers.

Layers, weakest first: the defaults below, the organisation's policy, the building's policy.
"""

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Q

from bookings.models import BookingPolicy
from locations.models import Building, ResourceKind
from profiles.models import Organization

WeeklyHours = dict[int, tuple[time, time] | None]


@dataclass(frozen=True)
class Policy:
    max_days_ahead: int = 14
    min_duration_minutes: int = 60
    max_duration_minutes: int = 1440
    slot_minutes: int = 30
    max_bookings_per_day: int = 1
    checkin_opens_minutes: int = 15
    release_after_minutes: int = 30
    auto_release: bool = True
    # Weekday (0 = Monday) to (opens, closes), or None when closed. A weekday missing from
    # the mapping is open all day.
    hours: WeeklyHours = field(default_factory=dict)
    closed_dates: frozenset[date] = frozenset()

    def check_in_window(self, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """Return the [opens, closes) in which a booking of [start, end) can be checked in to.

        With auto-release, check-in closes when the no-show is released.
        """
        opens = start - timedelta(minutes=self.checkin_opens_minutes)
        closes = end
        if self.auto_release:
            closes = min(closes, start + timedelta(minutes=self.release_after_minutes))
        return opens, closes

    def opening_period(self, day: date, tz) -> tuple[datetime, datetime] | None:
        """Return the aware [opens, closes) of a local day, or None when closed.

        Built with the zone's rules for that very date, so 09:00 stays 09:00 local on the
        days the clocks change.
        """
        if day in self.closed_dates or (
            day.weekday() in self.hours and not self.hours[day.weekday()]
        ):
            return None
        opens, closes = self.hours.get(day.weekday()) or (time(0), None)
        start = datetime.combine(day, opens, tzinfo=tz)
        if closes is None:
            end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        else:
            end = datetime.combine(day, closes, tzinfo=tz)
        return start, end


KIND_DEFAULTS = {
    ResourceKind.DESK: Policy(),
    ResourceKind.PARKING_SPOT: Policy(),
    ResourceKind.MEETING_ROOM: Policy(
        min_duration_minutes=15, max_duration_minutes=480, slot_minutes=15, max_bookings_per_day=8
    ),
}

_RULE_FIELDS = [f.name for f in fields(Policy) if f.name not in {"hours", "closed_dates"}]


# Every booking needs its policy; policies change rarely. Changes delete the cached entries
# once committed (bookings/receivers.py); the timeout bounds what a read racing a change
# could leave behind.
POLICY_CACHE_SECONDS = 300


def _cache_key(organization_id: int, building_id: int, kind: str) -> str:
    return f"booking-policy:{organization_id}:{building_id}:{kind}"


def forget_policies(*, organization_id: int) -> None:
    """Drop the cached policies of an organisation's buildings, after a policy changed."""
    building_ids = Building.objects.filter(organization_id=organization_id).values_list(
        "pk", flat=True
    )
    cache.delete_many(
        [_cache_key(organization_id, pk, kind) for pk in building_ids for kind in ResourceKind]
    )


def effective_policy(*, organization: Organization, building: Building, kind: str) -> Policy:
    """Return the rules for `kind` resources in `building`."""
    key = _cache_key(organization.pk, building.pk, kind)
    policy = cache.get(key)
    if policy is None:
        policy = _load_policy(organization=organization, building=building, kind=kind)
        cache.set(key, policy, POLICY_CACHE_SECONDS)
    return policy


def _load_policy(*, organization: Organization, building: Building, kind: str) -> Policy:
    rows = (
        BookingPolicy.objects.filter(organization=organization, resource_kind=kind)
        .filter(Q(building__isnull=True) | Q(building=building))
        .prefetch_related("hours", "closed_days")
    )
    # The organisation's row first, so the building's values overwrite it.
    layers = sorted(rows, key=lambda row: row.building_id is not None)
    default = KIND_DEFAULTS[kind]
    values = {name: getattr(default, name) for name in _RULE_FIELDS}
    hours: WeeklyHours = {}
    closed_dates: set[date] = set()
    for layer in layers:
        for name in _RULE_FIELDS:
            value = getattr(layer, name)
            if value is not None:
                values[name] = value
        layer_hours = list(layer.hours.all())
        if layer_hours:
            hours = {
                row.weekday: None if row.closed else (row.opens, row.closes) for row in layer_hours
            }
        closed_dates.update(day.date for day in layer.closed_days.all())
    return Policy(**values, hours=hours, closed_dates=frozenset(closed_dates))
