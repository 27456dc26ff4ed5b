"""The demo's places: organisations, buildings, floors with plan images, resources, policies.

Rows are looked up by their natural keys (organisation slug, building and floor name, resource
code), so a second run adds nothing; plan images are drawn once.
"""

from datetime import date, time, timedelta

from bookings.models import BookingPolicy, OpeningHours
from demo.floors import FloorSpec
from demo.organizations import BuildingSpec, OrganizationSpec
from demo.plan_images import Area, Desk, FloorPlan, floor_plan_file
from demo.schedule import BOOKING_DAYS
from locations.models import Amenity, Building, Floor, Resource, ResourceKind, Zone
from profiles.models import EmailDomain, Organization

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
