import secrets
import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from locations.validators import read_image_size, validate_plan_image
from profiles.models import Organization


class TenantQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization | None) -> "TenantQuerySet":
        if organization is None:
            return self.none()
        return self.filter(organization=organization)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Building(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Amsterdam",
        validators=[validate_time_zone],
        help_text=_("Bookings in this building are shown and checked in this time zone."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="building_name_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


def _plan_image_path(instance: "Floor", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    if extension not in {"png", "jpg", "jpeg", "webp"}:
        extension = "png"
    return f"floor-plans/{uuid.uuid4().hex}.{extension}"


class Floor(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="floors")
    name = models.CharField(_("name"), max_length=120)
    level = models.IntegerField(_("level"), default=0)
    plan_image = models.ImageField(
        _("floor plan"),
        upload_to=_plan_image_path,
        blank=True,
        validators=[validate_plan_image],
        help_text=_("PNG, JPEG or WebP. Resources are placed on it in its pixel coordinates."),
    )
    width = models.PositiveIntegerField(_("plan width"), default=1200)
    height = models.PositiveIntegerField(_("plan height"), default=800)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        ordering = ["building__name", "level"]
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="floor_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.building.name} · {self.name}"

    def clean(self) -> None:
        if self.building_id and self.organization_id != self.building.organization_id:
            raise ValidationError({"building": _("Choose a building of your organisation.")})
        if self.plan_image and not self.plan_image._committed:
            # Plan coordinates are the image's pixels, so a new plan sets the size.
            self.width, self.height = read_image_size(self.plan_image.file)


class Zone(models.Model):
    """A neighbourhood on a floor, such as a team area or a quiet zone."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    floor = models.ForeignKey(Floor, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=120)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["floor", "name"]
        constraints = [models.UniqueConstraint(fields=["floor", "name"], name="zone_name_unique")]

    def __str__(self) -> str:
        return f"{self.floor} · {self.name}"

    def clean(self) -> None:
        if self.floor_id and self.organization_id != self.floor.organization_id:
            raise ValidationError({"floor": _("Choose a floor of your organisation.")})


class Amenity(models.Model):
    """Something a resource offers (a monitor, a standing desk); shared by all organisations."""

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("amenity")
        verbose_name_plural = _("amenities")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(_(self.name))


class ResourceKind(models.TextChoices):
    DESK = "desk", _("desk")
    MEETING_ROOM = "meeting_room", _("meeting room")
    PARKING_SPOT = "parking_spot", _("parking spot")


def new_checkin_token() -> str:
    # 32 random bytes: the QR code on a desk must not be guessable from its neighbour's.
    return secrets.token_urlsafe(32)


class Resource(models.Model):
    """A bookable thing: a desk, a meeting room or a parking spot."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    floor = models.ForeignKey(Floor, on_delete=models.PROTECT, related_name="resources")
    zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="resources"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ResourceKind.choices, default=ResourceKind.DESK
    )
    code = models.CharField(_("code"), max_length=40, help_text=_("Shown on the plan, e.g. 2.14."))
    name = models.CharField(_("name"), max_length=120, blank=True)
    x = models.PositiveIntegerField(_("position x"), default=0)
    y = models.PositiveIntegerField(_("position y"), default=0)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=1, validators=[MinValueValidator(1)]
    )
    amenities = models.ManyToManyField(
        Amenity, blank=True, related_name="resources", verbose_name=_("amenities")
    )
    is_active = models.BooleanField(
        _("bookable"), default=True, help_text=_("Inactive resources can't be booked.")
    )
    checkin_token = models.CharField(
        _("check-in token"), max_length=64, unique=True, default=new_checkin_token, editable=False
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["floor", "code"]
        constraints = [
            models.UniqueConstraint(fields=["floor", "code"], name="resource_code_unique_per_floor")
        ]

    def __str__(self) -> str:
        return f"{capfirst(self.get_kind_display())} {self.code}"

    def clean(self) -> None:
        errors = {}
        if self.floor_id:
            if self.organization_id != self.floor.organization_id:
                errors["floor"] = _("Choose a floor of your organisation.")
            elif self.x > self.floor.width or self.y > self.floor.height:
                errors["x"] = _("The position lies outside the floor plan (%(w)s × %(h)s).") % {
                    "w": self.floor.width,
                    "h": self.floor.height,
                }
        if self.zone_id and self.zone.floor_id != self.floor_id:
            errors["zone"] = _("Choose a zone on the same floor.")
        if self.kind != ResourceKind.MEETING_ROOM and self.capacity != 1:
            errors["capacity"] = _("Only meeting rooms hold more than one person.")
        if errors:
            raise ValidationError(errors)


class Closure(models.Model):
    """A period in which a building, floor or resource can't be booked."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    floor = models.ForeignKey(
        Floor, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, help_text=_("Told to the people."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(building__isnull=False, floor__isnull=True, resource__isnull=True)
                    | Q(building__isnull=True, floor__isnull=False, resource__isnull=True)
                    | Q(building__isnull=True, floor__isnull=True, resource__isnull=False)
                ),
                name="closure_closes_exactly_one_thing",
            ),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="closure_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.target} ({self.start:%Y-%m-%d} – {self.end:%Y-%m-%d})"

    @property
    def target(self) -> Building | Floor | Resource | None:
        return self.building or self.floor or self.resource

    def clean(self) -> None:
        targets = [t for t in (self.building_id, self.floor_id, self.resource_id) if t]
        if len(targets) != 1:
            raise ValidationError(_("Close exactly one building, floor or resource."))
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The closure must end after it starts.")})
        target = self.target
        if target is not None and target.organization_id != self.organization_id:
            raise ValidationError(_("Choose a building, floor or resource of your organisation."))

    def covers_q(self, prefix: str = "resource__") -> Q:
        """Return a filter for the resources this closure closes."""
        if self.building_id:
            return Q(**{f"{prefix}floor__building_id": self.building_id})
        if self.floor_id:
            return Q(**{f"{prefix}floor_id": self.floor_id})
        return Q(**{f"{prefix}pk": self.resource_id})


class Beacon(models.Model):
    """A Bluetooth beacon at a resource: a phone that hears it can check its owner in there."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="beacons")
    uuid = models.UUIDField(_("UUID"))
    major = models.PositiveIntegerField(_("major"), validators=[MaxValueValidator(65535)])
    minor = models.PositiveIntegerField(_("minor"), validators=[MaxValueValidator(65535)])

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("beacon")
        verbose_name_plural = _("beacons")
        ordering = ["resource", "major", "minor"]
        constraints = [
            # Per organisation: beacons ship with their maker's default UUID, so two customers
            # may own the same identity, and a global constraint would tell one the other's.
            models.UniqueConstraint(
                fields=["organization", "uuid", "major", "minor"],
                name="beacon_unique_per_organization",
                violation_error_message=_(
                    "Your organisation already has a beacon with this UUID, major and minor."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} ({self.major}/{self.minor})"

    def clean(self) -> None:
        if self.resource_id and self.resource.organization_id != self.organization_id:
            raise ValidationError({"resource": _("Choose a resource of your organisation.")})
