import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Statistics tables hold counts keyed by plain ids, never foreign keys: they must outlive the
# resources, buildings and people they were counted from (no cascade), and no column may point
# to a person.


class UsageStatistic(models.Model):
    """Anonymous use of one resource in one day, or one hour of it."""

    organization_id = models.PositiveBigIntegerField(db_index=True)
    building_id = models.PositiveBigIntegerField()
    floor_id = models.PositiveBigIntegerField()
    zone_id = models.PositiveBigIntegerField(null=True, blank=True)
    resource_id = models.PositiveBigIntegerField()
    resource_kind = models.CharField(max_length=20)
    date = models.DateField(_("date"))
    # None for the whole day; 0-23 for one local hour.
    hour = models.PositiveSmallIntegerField(_("hour"), null=True, blank=True)
    bookings = models.PositiveIntegerField(default=0)
    check_ins = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)
    cancellations = models.PositiveIntegerField(default=0)
    booked_minutes = models.PositiveIntegerField(default=0)
    checked_in_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("usage statistic")
        verbose_name_plural = _("usage statistics")
        ordering = ["date", "resource_id", "hour"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource_id", "date"],
                condition=models.Q(hour__isnull=True),
                name="usage_once_per_resource_day",
            ),
            models.UniqueConstraint(
                fields=["resource_id", "date", "hour"],
                condition=models.Q(hour__isnull=False),
                name="usage_once_per_resource_hour",
            ),
        ]
        indexes = [models.Index(fields=["organization_id", "date"], name="usage_org_date")]

    def __str__(self) -> str:
        when = f"{self.date}" if self.hour is None else f"{self.date} {self.hour:02d}h"
        return f"{self.resource_kind} #{self.resource_id} {when}"


class BuildingDayStatistic(models.Model):
    """Anonymous use of one kind of resource in one building in one day.

    `people` is how many distinct people booked; it is what the facility dashboard checks
    against k-anonymity before showing a row. No column names anyone.
    """

    organization_id = models.PositiveBigIntegerField()
    building_id = models.PositiveBigIntegerField()
    date = models.DateField(_("date"))
    resource_kind = models.CharField(max_length=20)
    people = models.PositiveIntegerField(_("people"), default=0)
    bookings = models.PositiveIntegerField(default=0)
    check_ins = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)
    booked_minutes = models.PositiveIntegerField(default=0)
    checked_in_minutes = models.PositiveIntegerField(default=0)
    # Bookable resources of that kind in the building when the day was counted.
    resources = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("building day statistic")
        verbose_name_plural = _("building day statistics")
        ordering = ["date", "building_id", "resource_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["building_id", "date", "resource_kind"], name="building_day_once"
            )
        ]
        indexes = [models.Index(fields=["organization_id", "date"], name="building_day_org_date")]

    def __str__(self) -> str:
        return f"building #{self.building_id} {self.resource_kind} {self.date}"


class AggregationWatermark(models.Model):
    """A day of an organisation whose bookings are counted in the statistics.

    Aggregation, retention and erasure all consult it, so a booking is counted once.
    """

    organization_id = models.PositiveBigIntegerField()
    date = models.DateField()
    aggregated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization_id", "date"], name="watermark_once")
        ]

    def __str__(self) -> str:
        return f"organisation #{self.organization_id} {self.date}"


class MobilitySnapshot(models.Model):
    """The mobility figures of an organisation for one month: drawn once, then frozen.

    Its existence is what freezes the month, also when no figure was large enough to publish:
    drawing again would hand out fresh noise to average away (see `privacy.statistics`).
    """

    organization_id = models.PositiveBigIntegerField()
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    computed_on = models.DateField(_("computed on"))

    class Meta:
        verbose_name = _("mobility snapshot")
        verbose_name_plural = _("mobility snapshots")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization_id", "month"], name="mobility_snapshot_once"
            )
        ]

    def __str__(self) -> str:
        return f"organisation #{self.organization_id} {self.month:%Y-%m}"


class MobilityStatistic(models.Model):
    """How many people of a building come from a postal-code area, as published in a monthly
    snapshot: a noisy figure, shown only above a threshold (see `privacy.statistics`)."""

    snapshot = models.ForeignKey(MobilitySnapshot, on_delete=models.CASCADE, related_name="figures")
    organization_id = models.PositiveBigIntegerField(db_index=True)
    building_id = models.PositiveBigIntegerField()
    area = models.CharField(_("area"), max_length=20)
    people = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("mobility statistic")
        verbose_name_plural = _("mobility statistics")
        ordering = ["building_id", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "building_id", "area"], name="mobility_once"
            )
        ]

    def __str__(self) -> str:
        return f"building #{self.building_id} {self.area}: {self.people}"


def _export_path(instance: "DataExport", filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}.zip"


class DataExport(models.Model):
    """A ZIP of everything held about a person, built in the background, kept for 7 days."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being built")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=_export_path, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"


# The kinds of record staff can open, as the person reads them. The admin classes write the
# kind (their `person_record`); "-list" is a list page narrowed to people by a search or a filter
# on a person, which showed this person's records among others.
STAFF_ACCESS_RECORDS = {
    "account": _("your account"),
    "profile": _("your profile"),
    "booking": _("one of your bookings"),
    "check-in": _("one of your check-ins"),
    "account-list": _("your account, in a list or search"),
    "profile-list": _("your profile, in a list or search"),
    "booking-list": _("your bookings, in a list or search"),
    "check-in-list": _("your check-ins, in a list or search"),
    "audit-log": _("an entry about you in the audit log"),
    "audit-log-list": _("the audit log's entries about you, in a list or search"),
}


class StaffAccess(models.Model):
    """Someone of staff opened one person's record: who, when and what kind, never the data."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accessed_by_staff"
    )
    # Kept when the staff member is erased: the person still sees that someone of staff looked.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_accesses",
    )
    staff_role = models.CharField(max_length=32)
    record = models.CharField(_("what was opened"), max_length=50)
    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("staff access")
        verbose_name_plural = _("staff accesses")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.staff_role} opened {self.record} of {self.person} at {self.accessed_at}"

    def get_record_display(self) -> str:
        # A kind written by a newer admin class than this list shows as stored.
        return str(STAFF_ACCESS_RECORDS.get(self.record, self.record))


class ContactQuestion(models.Model):
    """A question asked through the privacy statement, kept until it reached the service desk.

    Stored so that a mail server or queue that is down loses nothing: the row goes once the
    e-mail is sent, and a sweep retries until then. Not linked to an account (visitors ask
    too), so it holds only what the asker typed.
    """

    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"))
    message = models.TextField(_("question"))
    # The asker's language, for the e-mail's fixed text.
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set by whoever claims the sending; a claim older than contact.RETRY_AFTER failed.
    attempted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact question")
        verbose_name_plural = _("contact questions")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"
