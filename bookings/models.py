import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from locations.models import Building, Resource, ResourceKind, TenantQuerySet
from profiles.models import Organization


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    CHECKED_IN = "checked_in", _("checked in")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")
    RELEASED = "released", _("released (no-show)")


# A booking in one of these holds its resource for [start, end). A completed booking's end
# is its check-out time, so it holds only the part that was used.
HOLDING_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)

# One person holds at most one booking of these kinds at a time; several meeting rooms at
# once are allowed (a person may book rooms for others' meetings).
PERSONAL_KINDS = (ResourceKind.DESK, ResourceKind.PARKING_SPOT)


class BookingQuerySet(TenantQuerySet):
    def active(self) -> "BookingQuerySet":
        return self.filter(status__in=HOLDING_STATUSES)

    def overlapping(self, start: datetime, end: datetime) -> "BookingQuerySet":
        # Half-open periods: a booking ending at 12:00 and one starting at 12:00 don't overlap.
        return self.filter(start__lt=end, end__gt=start)


class Booking(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings")
    # Copied from the resource so the per-person database constraint needs no join.
    resource_kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("person"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings_made_for_others",
        verbose_name=_("booked by"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Claimed by the periodic jobs with a conditional UPDATE, so each message goes out once.
    reminder_sent_at = models.DateTimeField(_("check-in reminder sent at"), null=True, blank=True)
    release_notice_sent_at = models.DateTimeField(
        _("release notice sent at"), null=True, blank=True
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start", "resource"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="booking_ends"),
        ]
        # The exclusion constraints live in migration 0003 (PostgreSQL only).
        indexes = [
            models.Index(fields=["resource", "start", "end"], name="booking_resource_period"),
            models.Index(fields=["user", "start"], name="booking_user_start"),
            models.Index(fields=["organization", "status", "start"], name="booking_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING_STATUSES


class CheckInMethod(models.TextChoices):
    QR = "qr", _("QR code")
    WEB = "web", _("web")
    BEACON = "beacon", _("beacon")
    WALK_IN = "walk_in", _("walk-in (QR code)")


class CheckIn(models.Model):
    """Someone arriving at their booked resource, and leaving it again."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="check_in")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="check_ins",
        verbose_name=_("person"),
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=CheckInMethod.choices)
    shares_presence = models.BooleanField(_("colleagues may see I am here"), default=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-checked_in_at"]
        constraints = [
            # One place at a time: checking in elsewhere checks out here first.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(checked_out_at__isnull=True),
                name="checkin_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="checkin_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking} @ {self.checked_in_at:%H:%M}"

    @property
    def duration(self):
        if self.checked_out_at is None:
            return None
        return self.checked_out_at - self.checked_in_at


class BookingPolicy(models.Model):
    """Booking rules for one resource kind: the organisation's, or one building's overrides.

    An empty field means "not set here": a building's policy inherits it from the
    organisation's, and the organisation's falls back to the defaults in `policies.py`.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for the organisation-wide policy."),
    )
    resource_kind = models.CharField(
        _("resource kind"), max_length=20, choices=ResourceKind.choices
    )
    max_days_ahead = models.PositiveSmallIntegerField(
        _("book at most this many days ahead"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
    )
    min_duration_minutes = models.PositiveSmallIntegerField(
        _("minimum duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    max_duration_minutes = models.PositiveSmallIntegerField(
        _("maximum duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot size (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Bookings start and end on multiples of this, counted from midnight."),
    )
    max_bookings_per_day = models.PositiveSmallIntegerField(
        _("bookings per person per day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(48)],
    )
    checkin_opens_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before start)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(240)],
    )
    release_after_minutes = models.PositiveSmallIntegerField(
        _("release a no-show after (minutes after start)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
        help_text=_("Check-in closes then, and the resource is free again."),
    )
    auto_release = models.BooleanField(
        _("release no-shows"),
        null=True,
        blank=True,
        help_text=_("Free bookings that nobody checked in to."),
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking policy")
        verbose_name_plural = _("booking policies")
        ordering = ["resource_kind", "building"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "resource_kind"],
                condition=Q(building__isnull=True),
                name="policy_one_per_org_and_kind",
            ),
            models.UniqueConstraint(
                fields=["building", "resource_kind"],
                condition=Q(building__isnull=False),
                name="policy_one_per_building_and_kind",
            ),
        ]

    def __str__(self) -> str:
        scope = self.building.name if self.building_id else _("whole organisation")
        return f"{self.get_resource_kind_display()} · {scope}"

    def clean(self) -> None:
        if self.building_id and self.building.organization_id != self.organization_id:
            raise ValidationError({"building": _("Choose a building of your organisation.")})
        low, high = self.min_duration_minutes, self.max_duration_minutes
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"max_duration_minutes": _("The maximum must not be below the minimum.")}
            )


class OpeningHours(models.Model):
    """The hours of one weekday in which a policy's resources can be booked.

    A policy with no rows is open all day, every day. A building policy with rows replaces
    the organisation's hours entirely.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    policy = models.ForeignKey(BookingPolicy, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    closed = models.BooleanField(_("closed all day"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "weekday"], name="hours_one_per_weekday")
        ]

    def __str__(self) -> str:
        if self.closed:
            return f"{self.get_weekday_display()}: {_('closed')}"
        return f"{self.get_weekday_display()}: {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.closed:
            return
        if self.opens is None or self.closes is None:
            raise ValidationError(_("Give opening and closing times, or tick closed."))
        if self.closes <= self.opens:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})


class ClosedDay(models.Model):
    """A date on which nothing under the policy can be booked (a public holiday)."""

    policy = models.ForeignKey(BookingPolicy, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["policy", "date"], name="closed_day_once")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class FavoriteResource(models.Model):
    """A resource a person starred, to book it again in one click."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="favorite_resources"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="favorited_by")
    created_at = models.DateTimeField(_("starred at"), default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="favorite_once")]

    def __str__(self) -> str:
        return f"{self.user} ★ {self.resource}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def feed_token_hash(token: str) -> str:
    """Return the stored form of a feed token: its SHA-256, in hex, as for API keys."""
    return hashlib.sha256(token.encode()).hexdigest()


def unknown_feed_token_hash() -> str:
    # A feed made without `create_calendar_feed` gets a token nobody knows: no URL opens it.
    return feed_token_hash(new_feed_token())


class CalendarFeed(models.Model):
    """A secret URL that lists a person's upcoming bookings for their calendar app.

    Only the token's hash is stored, like an API key's: the URL is shown once, when the feed
    is made. Revoking keeps the row (so the person can see when) and the URL answers 404 from
    then on.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feeds"
    )
    token_hash = models.CharField(
        max_length=64, unique=True, default=unknown_feed_token_hash, editable=False
    )
    prefix = models.CharField(_("starts with"), max_length=12, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'revoked' if self.revoked_at else 'live'})"
