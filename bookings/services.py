"""The only writer of bookings and check-ins.

Every write locks, in this order, the person's row (per-person limits span resources), then
the resource rows in primary-key order, then checks the rules and writes, in one transaction.
Two requests for the same desk queue on its row; the second sees the first's booking. On
PostgreSQL two exclusion constraints (migration 0003) back this up for any code that
bypasses the service.
"""

import logging
import operator
from collections import defaultdict
from datetime import datetime, timedelta
from functools import reduce

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookings.models import (
    PERSONAL_KINDS,
    Booking,
    BookingStatus,
    CalendarFeed,
    CheckIn,
    CheckInMethod,
    FavoriteResource,
    feed_token_hash,
    new_feed_token,
)
from bookings.policies import Policy, effective_policy
from locations.models import Closure, Resource
from locations.services import describe_resource
from officebooking.celery import app as celery_app
from officebooking.celery import enqueue_on_commit
from profiles.audit import record_staff_change
from profiles.models import STAFF_ROLES, AuditAction, User

logger = logging.getLogger(__name__)

RELEASE_BATCH_SIZE = 500


class BookingError(Exception):
    """A broken booking rule; str() is shown to the user."""


def _lock_person(user: User) -> User:
    return (
        User.objects.select_for_update(of=("self",))
        .select_related("membership__organization")
        .get(pk=user.pk)
    )


def _lock_resources(resources: list[Resource]) -> dict[int, Resource]:
    # Primary-key order: two changes that swap desks lock them in the same order and so
    # can't deadlock.
    pks = sorted({resource.pk for resource in resources})
    locked = (
        Resource.objects.select_for_update(of=("self",))
        .select_related("floor__building")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    return {resource.pk: resource for resource in locked}


def _lock_booking(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("resource__floor__building")
        .get(pk=booking.pk)
    )


def _local(moment: datetime, resource: Resource) -> datetime:
    return timezone.localtime(moment, resource.floor.building.tz)


def _format_time(moment: datetime, resource: Resource) -> str:
    return formats.time_format(_local(moment, resource), "H:i")


def _current_slot_start(now: datetime, resource: Resource, slot_minutes: int) -> datetime:
    local_now = _local(now, resource)
    minutes = local_now.hour * 60 + local_now.minute
    floored = minutes - minutes % slot_minutes
    return local_now.replace(hour=floored // 60, minute=floored % 60, second=0, microsecond=0)


def _is_on_slot(moment: datetime, resource: Resource, slot_minutes: int) -> bool:
    local = _local(moment, resource)
    return (
        local.second == 0
        and local.microsecond == 0
        and ((local.hour * 60 + local.minute) % slot_minutes == 0)
    )


def _check_booking_rules(
    *,
    user: User,
    resource: Resource,
    start: datetime,
    end: datetime,
    policy: Policy,
    now: datetime,
    exclude: Booking | None = None,
    start_on_grid: bool = True,
) -> None:
    """Raise BookingError for the first rule the period breaks."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("Booking times must be aware datetimes.")
    if end <= start:
        raise BookingError(_("The end must be after the start."))
    if not resource.is_active:
        raise BookingError(_("This resource can't be booked at the moment."))
    if start < _current_slot_start(now, resource, policy.slot_minutes):
        raise BookingError(_("That time has already passed."))

    minutes = (end - start).total_seconds() / 60
    if minutes < policy.min_duration_minutes:
        raise BookingError(
            _("A booking lasts at least %(minutes)d minutes.")
            % {"minutes": policy.min_duration_minutes}
        )
    if minutes > policy.max_duration_minutes:
        raise BookingError(
            _("A booking lasts at most %(hours)s hours.")
            % {"hours": formats.number_format(policy.max_duration_minutes / 60, decimal_pos=0)}
        )
    start_ok = _is_on_slot(start, resource, policy.slot_minutes) or not start_on_grid
    if not (start_ok and _is_on_slot(end, resource, policy.slot_minutes)):
        raise BookingError(
            _("Bookings start and end on whole blocks of %(minutes)d minutes.")
            % {"minutes": policy.slot_minutes}
        )

    tz = resource.floor.building.tz
    local_start = timezone.localtime(start, tz)
    days_ahead = (local_start.date() - timezone.localtime(now, tz).date()).days
    if days_ahead > policy.max_days_ahead:
        raise BookingError(
            _("You can book at most %(days)d days ahead.") % {"days": policy.max_days_ahead}
        )
    period = policy.opening_period(local_start.date(), tz)
    if period is None:
        raise BookingError(_("The building is closed on that day."))
    opens, closes = period
    if start < opens or end > closes:
        raise BookingError(
            _("Please book within the opening hours, %(opens)s to %(closes)s.")
            % {"opens": _format_time(opens, resource), "closes": _format_time(closes, resource)}
        )

    closure = (
        Closure.objects.filter(organization_id=resource.organization_id)
        .filter(start__lt=end, end__gt=start)
        .filter(
            Q(resource=resource)
            | Q(floor_id=resource.floor_id)
            | Q(building_id=resource.floor.building_id)
        )
        .first()
    )
    if closure is not None:
        raise BookingError(_("Closed at that time: %(reason)s") % {"reason": closure.reason})

    day_start = datetime.combine(local_start.date(), datetime.min.time(), tzinfo=tz)
    day_end = datetime.combine(
        local_start.date() + timedelta(days=1), datetime.min.time(), tzinfo=tz
    )
    conflicts = {
        "same_day": Q(
            user=user, resource_kind=resource.kind, start__gte=day_start, start__lt=day_end
        ),
        "resource_taken": Q(resource=resource, start__lt=end, end__gt=start),
    }
    if resource.kind in PERSONAL_KINDS:
        conflicts["person_busy"] = Q(
            user=user, resource_kind=resource.kind, start__lt=end, end__gt=start
        )
    others = Booking.objects.active()
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    # One query for all three counts: each round trip costs more than the counting.
    counts = others.filter(reduce(operator.or_, conflicts.values())).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in conflicts.items()}
    )
    if counts["same_day"] >= policy.max_bookings_per_day:
        raise BookingError(
            ngettext(
                "You already have %(count)d booking of this kind that day; that is the maximum.",
                "You already have %(count)d bookings of this kind that day; that is the maximum.",
                counts["same_day"],
            )
            % {"count": counts["same_day"]}
        )
    if counts["resource_taken"]:
        raise BookingError(_("This resource is already booked for part of that time."))
    if counts.get("person_busy"):
        raise BookingError(
            _("You already have a %(kind)s booked for part of that time.")
            % {"kind": resource.get_kind_display()}
        )


def _organization_of(user: User, resource: Resource):
    organization = user.organization
    # Another organisation's resource is answered like a missing one.
    if organization is None or resource.organization_id != organization.pk:
        raise BookingError(_("This resource does not exist."))
    return organization


def _save_checked(booking: Booking) -> None:
    booking.clean_fields(exclude=["organization", "resource", "user", "booked_by"])
    try:
        # No savepoint of its own: the caller's transaction rolls back on the BookingError.
        booking.save()
    except IntegrityError as error:
        # Only reachable if a writer bypassed the locks: the exclusion constraints caught it.
        logger.warning("booking refused by a database constraint: %s", error)
        raise BookingError(_("This resource is already booked for part of that time.")) from None


def may_manage_booking(*, actor: User, booking: Booking) -> bool:
    """Return whether `actor` may change or cancel `booking`."""
    if actor.is_superuser or actor.pk in (booking.user_id, booking.booked_by_id):
        return True
    organization = actor.organization
    return (
        organization is not None
        and organization.pk == booking.organization_id
        and actor.role in STAFF_ROLES
    )


def is_staff_change(*, actor: User, booking: Booking) -> bool:
    """Return whether `actor` changing `booking` changes someone else's booking.

    Such a change needs a reason, goes into the audit log and is told to the person. Who
    booked it does not matter: a facility manager who booked for someone still changes that
    person's booking.
    """
    return actor.pk != booking.user_id


def describe_booking(booking: Booking) -> str:
    """Return the booking for the audit log: place and local period, never the person."""
    resource = booking.resource
    tz = resource.floor.building.tz
    start, end = timezone.localtime(booking.start, tz), timezone.localtime(booking.end, tz)
    until = f"{end:%H:%M}" if start.date() == end.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{describe_resource(resource)} · {start:%Y-%m-%d %H:%M}–{until}"


def _reason_for(actor: User, booking: Booking, reason: str) -> str:
    reason = reason.strip()
    if is_staff_change(actor=actor, booking=booking) and not reason:
        raise BookingError(_("Give a reason: the person is told what you changed and why."))
    return reason


def _record_booking_change(
    *, actor: User, booking: Booking, action: str, reason: str, changes: dict | None = None
) -> None:
    """Log a staff change of someone's booking, and e-mail the person once it is committed."""
    entry = record_staff_change(
        actor=actor,
        organization=booking.organization_id,
        action=action,
        obj=booking,
        description=describe_booking(booking),
        subject=booking.user,
        reason=reason,
        changes=changes,
        time_zone=booking.resource.floor.building.time_zone,
    )
    enqueue_on_commit("bookings.tasks.send_staff_change_notice", audit_entry_id=entry.pk)


def _may_book_for_others(actor: User, organization) -> bool:
    return actor.is_superuser or (actor.organization == organization and actor.role in STAFF_ROLES)


@transaction.atomic
def create_booking(
    *,
    user: User,
    resource: Resource,
    start: datetime,
    end: datetime,
    booked_by: User | None = None,
    note: str = "",
    notify: bool = True,
    starts_now: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Book `resource` for `user` over [start, end), or raise BookingError.

    `starts_now` is for walk-ins: the booking starts on arrival, which needn't be on the slot
    grid (someone may have checked out of the desk at 09:07).

    With `notify`, the person gets a confirmation e-mail with a calendar file once the booking
    is committed; callers booking several at once pass False and send one e-mail themselves.
    """
    now = now or timezone.now()
    user = _lock_person(user)
    resource = _lock_resources([resource])[resource.pk]
    organization = _organization_of(user, resource)
    booking_for_someone_else = booked_by is not None and booked_by.pk != user.pk
    if booking_for_someone_else and not _may_book_for_others(booked_by, organization):
        raise BookingError(_("Only facility managers can book for someone else."))
    policy = effective_policy(
        organization=organization, building=resource.floor.building, kind=resource.kind
    )
    _check_booking_rules(
        user=user,
        resource=resource,
        start=start,
        end=end,
        policy=policy,
        now=now,
        start_on_grid=not starts_now,
    )
    booking = Booking(
        organization=organization,
        resource=resource,
        resource_kind=resource.kind,
        user=user,
        booked_by=booked_by if booking_for_someone_else else None,
        start=start,
        end=end,
        note=note,
        created_at=now,
    )
    _save_checked(booking)
    if notify:
        send_confirmation_on_commit([booking])
    return booking


def send_confirmation_on_commit(bookings: list[Booking]) -> None:
    """Queue one confirmation e-mail (with an .ics attachment) for these bookings."""
    enqueue_on_commit(
        "bookings.tasks.send_booking_confirmation", booking_ids=[b.pk for b in bookings]
    )


@transaction.atomic
def change_booking(
    *,
    booking: Booking,
    actor: User,
    start: datetime,
    end: datetime,
    resource: Resource | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Move an upcoming booking to another period and/or resource, or raise BookingError.

    Staff moving someone else's booking must give a reason; the change is logged and the
    person told.
    """
    now = now or timezone.now()
    user = _lock_person(booking.user)
    target = resource or booking.resource
    resources = _lock_resources([booking.resource, target])
    booking = _lock_booking(booking)
    if not may_manage_booking(actor=actor, booking=booking):
        raise BookingError(_("This booking does not exist."))
    if booking.status != BookingStatus.CONFIRMED:
        raise BookingError(_("Only bookings that have not started can be changed."))
    target = resources[target.pk]
    organization = _organization_of(user, target)
    if target.kind != booking.resource_kind:
        raise BookingError(_("A booking can only move to a resource of the same kind."))
    policy = effective_policy(
        organization=organization, building=target.floor.building, kind=target.kind
    )
    _check_booking_rules(
        user=user, resource=target, start=start, end=end, policy=policy, now=now, exclude=booking
    )
    reason = _reason_for(actor, booking, reason)
    before = describe_booking(booking)
    booking.resource, booking.start, booking.end = target, start, end
    _save_checked(booking)
    if is_staff_change(actor=actor, booking=booking):
        _record_booking_change(
            actor=actor,
            booking=booking,
            action=AuditAction.BOOKING_CHANGED,
            reason=reason,
            changes={"before": before, "after": describe_booking(booking)},
        )
    return booking


@transaction.atomic
def cancel_booking(
    *, booking: Booking, actor: User, reason: str = "", now: datetime | None = None
) -> Booking:
    """Cancel a booking that has not been checked in to; its time is free again at once.

    Staff cancelling someone else's booking must give a reason; the cancellation is logged
    and the person told.
    """
    now = now or timezone.now()
    _lock_person(booking.user)
    booking = _lock_booking(booking)
    if not may_manage_booking(actor=actor, booking=booking):
        raise BookingError(_("This booking does not exist."))
    if booking.status == BookingStatus.CHECKED_IN:
        raise BookingError(_("You are checked in to this booking: check out instead."))
    if booking.status != BookingStatus.CONFIRMED or booking.end <= now:
        raise BookingError(_("This booking can no longer be cancelled."))
    reason = _reason_for(actor, booking, reason)
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    if is_staff_change(actor=actor, booking=booking):
        _record_booking_change(
            actor=actor, booking=booking, action=AuditAction.BOOKING_CANCELLED, reason=reason
        )
    return booking


def _close_check_in(check_in: CheckIn, booking: Booking, now: datetime) -> None:
    check_in.checked_out_at = max(now, check_in.checked_in_at)
    check_in.save(update_fields=["checked_out_at"])
    # Checking out ends the booking now, so the rest of the slot is free for others. A
    # booking must keep a positive length, so leaving before the start keeps one minute.
    booking.end = min(booking.end, max(now, booking.start + timedelta(minutes=1)))
    booking.status = BookingStatus.COMPLETED
    booking.save(update_fields=["end", "status", "updated_at"])


@transaction.atomic
def check_in(
    *,
    booking: Booking,
    method: str = CheckInMethod.WEB,
    shares_presence: bool = False,
    now: datetime | None = None,
) -> CheckIn:
    """Check the booking's person in, inside the policy's check-in window.

    A person is at one place at a time: an open check-in elsewhere is checked out first.
    """
    now = now or timezone.now()
    user = _lock_person(booking.user)
    booking = _lock_booking(booking)
    if booking.status == BookingStatus.CHECKED_IN:
        raise BookingError(_("You are already checked in."))
    if booking.status != BookingStatus.CONFIRMED:
        raise BookingError(_("This booking is no longer valid."))
    resource = booking.resource
    policy = effective_policy(
        organization=user.organization, building=resource.floor.building, kind=resource.kind
    )
    opens, closes = policy.check_in_window(booking.start, booking.end)
    if now < opens:
        raise BookingError(
            _("Check-in opens at %(time)s.") % {"time": _format_time(opens, resource)}
        )
    if now >= closes:
        raise BookingError(_("Check-in for this booking has closed."))

    open_elsewhere = (
        CheckIn.objects.select_for_update()
        .select_related("booking")
        .filter(user=user, checked_out_at__isnull=True)
        .first()
    )
    if open_elsewhere is not None:
        _close_check_in(open_elsewhere, open_elsewhere.booking, now)

    check_in = CheckIn.objects.create(
        organization_id=booking.organization_id,
        booking=booking,
        user=user,
        checked_in_at=now,
        method=method,
        shares_presence=shares_presence,
    )
    booking.status = BookingStatus.CHECKED_IN
    booking.save(update_fields=["status", "updated_at"])
    return check_in


@transaction.atomic
def check_out(*, booking: Booking, now: datetime | None = None) -> CheckIn:
    """Check out: record the time, end the booking now and free the rest of it."""
    now = now or timezone.now()
    _lock_person(booking.user)
    booking = _lock_booking(booking)
    if booking.status != BookingStatus.CHECKED_IN:
        raise BookingError(_("You are not checked in to this booking."))
    check_in = CheckIn.objects.select_for_update().get(booking=booking)
    _close_check_in(check_in, booking, now)
    return check_in


def release_no_shows(*, now: datetime | None = None) -> int:
    """Release confirmed bookings nobody checked in to before their policy's deadline.

    Safe to run twice at once: each booking is claimed by a conditional UPDATE, and only the
    run whose UPDATE changed the row counts it and queues the notice to the person. The same
    UPDATE claims the notice, so no crash can fall between the two; notices that still went
    missing (the queue was down) are swept up at the end.
    """
    now = now or timezone.now()
    # No policy releases sooner than 5 minutes after the start, so later ones can't qualify.
    candidates = Booking.objects.filter(
        status=BookingStatus.CONFIRMED, start__lte=now - timedelta(minutes=5)
    ).select_related("resource__floor__building", "organization")
    released = 0
    policies: dict[tuple, Policy] = {}
    for batch in _in_batches(candidates):
        for booking in batch:
            policy = _policy_of(booking, policies)
            deadline = booking.start + timedelta(minutes=policy.release_after_minutes)
            if not (policy.auto_release and deadline <= now):
                continue
            claimed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
                status=BookingStatus.RELEASED, release_notice_sent_at=now, updated_at=now
            )
            if claimed:
                _enqueue_claimed(
                    "bookings.tasks.send_release_notice",
                    booking_id=booking.pk,
                    claim_field="release_notice_sent_at",
                    claimed_at=now,
                )
                released += 1
    _send_missed_release_notices(now)
    return released


@transaction.atomic
def cancel_bookings_for_closure(
    *, closure: Closure, actor: User | None = None, now: datetime | None = None
) -> int:
    """Cancel the upcoming bookings a closure covers and tell each person why.

    Staff who closed the place (`actor`) are named in the audit log for each booking, with the
    closure's reason; the closure notice is the person's one e-mail about it.
    """
    now = now or timezone.now()
    affected = (
        Booking.objects.filter(organization_id=closure.organization_id)
        .filter(status=BookingStatus.CONFIRMED, end__gt=max(now, closure.start))
        .filter(start__lt=closure.end)
        .filter(closure.covers_q())
        .order_by("user_id", "pk")
    )
    by_person: dict[int, list[int]] = defaultdict(list)
    for booking in affected:
        # The person's row first, as every booking write does.
        _lock_person(booking.user)
        locked = _lock_booking(booking)
        if locked.status != BookingStatus.CONFIRMED:
            continue
        locked.status = BookingStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        by_person[locked.user_id].append(locked.pk)
        if actor is not None:
            record_staff_change(
                actor=actor,
                organization=locked.organization_id,
                action=AuditAction.BOOKING_CANCELLED,
                obj=locked,
                description=describe_booking(locked),
                subject=locked.user,
                reason=closure.reason,
                time_zone=locked.resource.floor.building.time_zone,
            )
    for user_id, booking_ids in by_person.items():
        enqueue_on_commit(
            "bookings.tasks.send_closure_notice",
            user_id=user_id,
            closure_id=closure.pk,
            booking_ids=booking_ids,
        )
    return sum(len(ids) for ids in by_person.values())


# The length of the token's start kept to tell feeds apart, as for API tokens.
FEED_PREFIX_LENGTH = 8


@transaction.atomic
def create_calendar_feed(*, user: User) -> tuple[CalendarFeed, str]:
    """Give the person a new secret feed, revoking the one they had; return it with its token.

    Only the token's hash is stored: the token, and so the feed's URL, can be shown only now.
    """
    now = timezone.now()
    _lock_person(user)
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = new_feed_token()
    feed = CalendarFeed.objects.create(
        user=user,
        token_hash=feed_token_hash(token),
        prefix=token[:FEED_PREFIX_LENGTH],
        created_at=now,
    )
    return feed, token


def revoke_calendar_feed(*, user: User) -> int:
    """Stop the person's feed URL from working; return how many were revoked."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def toggle_favourite(*, user: User, resource: Resource) -> bool:
    """Star the resource for the person, or unstar it; return whether it is now starred."""
    deleted, _counts = FavoriteResource.objects.filter(user=user, resource=resource).delete()
    if deleted:
        return False
    FavoriteResource.objects.get_or_create(
        user=user, resource=resource, defaults={"organization_id": resource.organization_id}
    )
    return True


@transaction.atomic
def walk_in(
    *, user: User, resource: Resource, shares_presence: bool = False, now: datetime | None = None
) -> CheckIn:
    """Book a free resource from now until it closes or is next booked, and check in there.

    For someone who scans the code on a desk nobody has booked. An open check-in elsewhere is
    checked out first, in the same transaction: if the walk-in is refused, it stays open.
    """
    now = now or timezone.now()
    _lock_person(user)
    open_elsewhere = (
        CheckIn.objects.select_related("booking")
        .filter(user=user, checked_out_at__isnull=True)
        .exclude(booking__resource=resource)
        .first()
    )
    if open_elsewhere is not None:
        check_out(booking=open_elsewhere.booking, now=now)
    resource = Resource.objects.select_related("floor__building").get(pk=resource.pk)
    organization = _organization_of(user, resource)
    building = resource.floor.building
    policy = effective_policy(organization=organization, building=building, kind=resource.kind)
    tz = building.tz
    period = policy.opening_period(timezone.localtime(now, tz).date(), tz)
    if period is None or period[1] <= now:
        raise BookingError(_("The building is closed now."))
    # From the start of the current slot, or from when the last person here checked out.
    start = _current_slot_start(now, resource, policy.slot_minutes)
    left_at = (
        Booking.objects.active()
        .filter(resource=resource, end__gt=start, end__lte=now)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    start = max(start, left_at) if left_at else start
    end = min(period[1], start + timedelta(minutes=policy.max_duration_minutes))
    next_booking = (
        Booking.objects.active()
        .filter(resource=resource, start__gte=start, start__lt=end)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    if next_booking is not None:
        end = next_booking
    booking = create_booking(
        user=user, resource=resource, start=start, end=end, notify=False, starts_now=True, now=now
    )
    return check_in(
        booking=booking, method=CheckInMethod.WALK_IN, shares_presence=shares_presence, now=now
    )


# Periodic jobs: check-in reminders, no-show release notices, end-of-day check-out.

# A person is reminded this many minutes before their check-in window closes.
REMINDER_MINUTES = 10

# Notices of releases older than this are news to nobody; the sweep leaves them.
RELEASE_NOTICE_SWEEP = timedelta(days=1)


def _in_batches(queryset):
    """Yield the queryset's rows in primary-key order, a few hundred at a time.

    Paging by key rather than by offset: rows the caller changes would shift the offsets.
    """
    queryset = queryset.order_by("pk")
    last_pk = 0
    while batch := list(queryset.filter(pk__gt=last_pk)[:RELEASE_BATCH_SIZE]):
        last_pk = batch[-1].pk
        yield batch


def _policy_of(booking: Booking, policies: dict[tuple, Policy]) -> Policy:
    """Return the booking's policy, looked up once per organisation, building and kind."""
    building = booking.resource.floor.building
    key = (booking.organization_id, building.pk, booking.resource_kind)
    if key not in policies:
        policies[key] = effective_policy(
            organization=booking.organization, building=building, kind=booking.resource_kind
        )
    return policies[key]


def _enqueue_claimed(
    task_name: str, *, booking_id: int, claim_field: str, claimed_at: datetime
) -> None:
    """Queue a claimed e-mail once committed; if the broker is down, give the claim back.

    The claim is taken before queueing so that only one run queues the e-mail. Were it kept
    when queueing fails, no later run would ever send it.
    """

    def send() -> None:
        try:
            celery_app.tasks[task_name].apply_async(kwargs={"booking_id": booking_id})
        except Exception:
            logger.exception("could not queue %s for booking %s", task_name, booking_id)
            Booking.objects.filter(pk=booking_id, **{claim_field: claimed_at}).update(
                **{claim_field: None}
            )

    transaction.on_commit(send)


def send_check_in_reminders(*, now: datetime | None = None) -> int:
    """Remind people whose check-in window closes within REMINDER_MINUTES; return how many.

    Safe to run twice at once: each reminder is claimed by a conditional UPDATE of
    reminder_sent_at, and only the run whose UPDATE changed the row queues the e-mail.
    """
    now = now or timezone.now()
    # A window closes at the booking's end at the latest, and opens before its start.
    candidates = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        start__lt=now + timedelta(minutes=REMINDER_MINUTES),
        end__gt=now,
    ).select_related("resource__floor__building", "organization")
    policies: dict[tuple, Policy] = {}
    reminded = 0
    for batch in _in_batches(candidates):
        for booking in batch:
            policy = _policy_of(booking, policies)
            if not policy.auto_release:
                continue
            opens, closes = policy.check_in_window(booking.start, booking.end)
            if not max(opens, closes - timedelta(minutes=REMINDER_MINUTES)) <= now < closes:
                continue
            claimed = Booking.objects.filter(
                pk=booking.pk, status=BookingStatus.CONFIRMED, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                _enqueue_claimed(
                    "bookings.tasks.send_check_in_reminder",
                    booking_id=booking.pk,
                    claim_field="reminder_sent_at",
                    claimed_at=now,
                )
                reminded += 1
    return reminded


def _send_missed_release_notices(now: datetime) -> int:
    """Queue the notices of released bookings that never got one; return how many."""
    missed = Booking.objects.filter(
        status=BookingStatus.RELEASED,
        release_notice_sent_at__isnull=True,
        start__gte=now - RELEASE_NOTICE_SWEEP,
    )
    queued = 0
    for batch in _in_batches(missed):
        for booking in batch:
            claimed = Booking.objects.filter(
                pk=booking.pk, release_notice_sent_at__isnull=True
            ).update(release_notice_sent_at=now)
            if claimed:
                _enqueue_claimed(
                    "bookings.tasks.send_release_notice",
                    booking_id=booking.pk,
                    claim_field="release_notice_sent_at",
                    claimed_at=now,
                )
                queued += 1
    return queued


def _closing_time(check_in: CheckIn, booking: Booking, policy: Policy) -> datetime:
    """Return when the building closes on the local day the person arrived.

    Open all day, or closed that day (a closure set after they checked in), means local
    midnight. Built from the zone's rules for that date, so a DST day is 23 or 25 hours long.
    """
    tz = booking.resource.floor.building.tz
    # Checking in opens before the start: someone arriving at 23:50 for a booking at 00:00
    # belongs to the next day.
    arrived = max(check_in.checked_in_at, booking.start)
    day = timezone.localtime(arrived, tz).date()
    period = policy.opening_period(day, tz)
    if period is not None and arrived < period[1]:
        return period[1]
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)


def check_out_at_end_of_day(*, now: datetime | None = None) -> int:
    """Check out everyone still checked in after their building closed; return how many.

    Each is checked out at the closing time, not now, so a run that is late or repeated
    records the same times. Safe to run twice at once: each check-in is re-read under the
    locks every booking write takes (person, then booking) and skipped if already closed.
    """
    now = now or timezone.now()
    open_check_ins = CheckIn.objects.filter(checked_out_at__isnull=True).select_related(
        "booking__resource__floor__building", "booking__organization", "booking__user"
    )
    policies: dict[tuple, Policy] = {}
    checked_out = 0
    for batch in _in_batches(open_check_ins):
        for candidate in batch:
            booking = candidate.booking
            closes = _closing_time(candidate, booking, _policy_of(booking, policies))
            if closes > now:
                continue
            with transaction.atomic():
                _lock_person(booking.user)
                booking = _lock_booking(booking)
                check_in = CheckIn.objects.select_for_update().get(pk=candidate.pk)
                if check_in.checked_out_at is not None:
                    continue
                _close_check_in(check_in, booking, closes)
            checked_out += 1
    return checked_out


# Erasure and retention: the writes privacy needs, so that bookings and check-ins keep one
# writer. Privacy decides what goes and counts it first; these only remove.


def cancel_future_bookings_of(*, user: User, now: datetime) -> int:
    """End everything the person has still to come; return how many bookings were cancelled.

    A booking they are checked in to is checked out (the rest of it is free again at once);
    a confirmed one is cancelled as if they cancelled it themselves.
    """
    cancelled = 0
    upcoming = Booking.objects.filter(user=user, end__gt=now).order_by("pk")
    for booking in upcoming:
        if booking.status == BookingStatus.CHECKED_IN:
            check_out(booking=booking, now=now)
        elif booking.status == BookingStatus.CONFIRMED:
            cancel_booking(booking=booking, actor=user, now=now)
            cancelled += 1
    return cancelled


@transaction.atomic
def delete_bookings_of(*, user: User) -> int:
    """Delete the person's bookings and check-ins; return how many bookings went.

    Bookings they made for others stay with those people, without the name of who made them.
    """
    # The person's row first, as every booking write does: no booking can be made for them
    # between the delete and the commit.
    _lock_person(user)
    CheckIn.objects.filter(user=user).delete()
    deleted = Booking.objects.filter(user=user).delete()[1].get("bookings.Booking", 0)
    Booking.objects.filter(booked_by=user).update(booked_by=None)
    return deleted


@transaction.atomic
def delete_check_ins_of(*, user: User) -> int:
    """Delete the person's check-ins; return how many went."""
    _lock_person(user)
    return CheckIn.objects.filter(user=user).delete()[0]


@transaction.atomic
def purge_bookings(*, booking_ids: list[int]) -> int:
    """Delete these bookings with their check-ins; return how many bookings went.

    For retention, which counted them first: call it with a batch of a few hundred ids.
    """
    # The usual order, people, then bookings, then check-ins: deleting the check-ins first
    # would hold a check-in that check_out (booking, then check-in) waits for, while we wait
    # for its booking, and the two would deadlock.
    people = Booking.objects.filter(pk__in=booking_ids).order_by().values_list("user_id", flat=True)
    list(User.objects.select_for_update().filter(pk__in=people).order_by("pk").values("pk"))
    pks = list(
        Booking.objects.select_for_update()
        .filter(pk__in=booking_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    CheckIn.objects.filter(booking_id__in=pks).delete()
    return Booking.objects.filter(pk__in=pks).delete()[1].get("bookings.Booking", 0)
