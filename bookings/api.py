"""The check-in API for the mobile app: a phone that hears a desk's beacon checks in there."""

from datetime import datetime, timedelta
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from bookings.models import Booking, BookingStatus, CheckIn, CheckInMethod
from bookings.policies import effective_policy
from bookings.services import BookingError, check_in
from locations.models import Beacon, Resource
from profiles.api_auth import ApiTokenAuth
from profiles.models import User
from profiles.visibility import may_offer_presence_sharing

router = Router(auth=ApiTokenAuth(), tags=["check-in"])

BEACON_NUMBER = {"ge": 0, "le": 65535}


class BeaconIn(Schema):
    model_config = ConfigDict(extra="forbid")

    uuid: UUID = Field(description="The beacon's proximity UUID.")
    major: int = Field(strict=True, description="0 to 65535.", **BEACON_NUMBER)
    minor: int = Field(strict=True, description="0 to 65535.", **BEACON_NUMBER)
    share_presence: bool = Field(
        False, strict=True, description="Let colleagues see that you are here."
    )


class CheckInOut(Schema):
    check_in_id: int
    resource_code: str
    building: str
    floor: str
    checked_in_at: datetime = Field(description="In the building's time zone.")
    booking_end: datetime = Field(description="In the building's time zone.")


class MeOut(Schema):
    email: str
    organization: str


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    field: str
    message: str


class BadInputOut(Schema):
    """Bad input, answered by the API's handler in officebooking/api.py."""

    detail: list[FieldError]


@router.post(
    "/check-ins/beacon",
    response={
        200: CheckInOut,
        201: CheckInOut,
        400: BadInputOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Check in at the resource whose beacon the phone hears",
)
def beacon_check_in(request: HttpRequest, payload: BeaconIn):
    """Check the token's owner in to their booking of the beacon's resource.

    Answers 201 with the new check-in, or 200 with the existing one when they are already
    checked in there (phones report a beacon again and again).
    """
    user, now = request.user, timezone.now()
    beacon = (
        Beacon.objects.for_organization(request.organization)
        .select_related("resource__floor__building")
        .filter(uuid=payload.uuid, major=payload.major, minor=payload.minor)
        .first()
    )
    if beacon is None:
        return Status(404, {"detail": _("This beacon is not known here.")})
    resource = beacon.resource

    existing = _open_check_in(user, resource)
    if existing is not None:
        return Status(200, _check_in_out(existing, resource))
    booking = _booking_to_check_in(user, resource, now)
    if booking is None:
        message = _("You have no booking of %(resource)s to check in to now.")
        return Status(409, {"detail": message % {"resource": resource}})
    shares_presence = payload.share_presence and may_offer_presence_sharing(user)
    try:
        new = check_in(
            booking=booking,
            method=CheckInMethod.BEACON,
            shares_presence=shares_presence,
            now=now,
        )
    except BookingError as error:
        # Two reports of the same beacon can race here; the loser finds the winner's check-in.
        existing = _open_check_in(user, resource)
        if existing is not None:
            return Status(200, _check_in_out(existing, resource))
        return Status(409, {"detail": str(error)})
    return Status(201, _check_in_out(new, resource))


@router.get("/me", response=MeOut, summary="Whose token this is")
def me(request: HttpRequest):
    return {"email": request.user.email, "organization": request.organization.name}


def _open_check_in(user: User, resource: Resource) -> CheckIn | None:
    return (
        CheckIn.objects.filter(user=user, booking__resource=resource, checked_out_at__isnull=True)
        .select_related("booking")
        .first()
    )


def _booking_to_check_in(user: User, resource: Resource, now: datetime) -> Booking | None:
    """Return the person's confirmed booking of the resource whose check-in window is open."""
    policy = effective_policy(
        organization=resource.organization, building=resource.floor.building, kind=resource.kind
    )
    # The window is [start - opens, min(end, start + release after)), as check_in() has it.
    bookings = Booking.objects.filter(
        organization_id=resource.organization_id,
        user=user,
        resource=resource,
        status=BookingStatus.CONFIRMED,
        start__lte=now + timedelta(minutes=policy.checkin_opens_minutes),
        end__gt=now,
    )
    if policy.auto_release:
        bookings = bookings.filter(start__gt=now - timedelta(minutes=policy.release_after_minutes))
    return bookings.order_by("start").first()


def _check_in_out(check_in: CheckIn, resource: Resource) -> dict:
    building = resource.floor.building
    return {
        "check_in_id": check_in.pk,
        "resource_code": resource.code,
        "building": building.name,
        "floor": resource.floor.name,
        "checked_in_at": timezone.localtime(check_in.checked_in_at, building.tz),
        "booking_end": timezone.localtime(check_in.booking.end, building.tz),
    }
