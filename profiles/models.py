import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RETENTION_DAYS_MIN = 7
RETENTION_DAYS_MAX = 730


class OrganizationQuerySet(models.QuerySet):
    def for_organization(self, organization: "Organization | None") -> "OrganizationQuerySet":
        if organization is None:
            return self.none()
        return self.filter(pk=organization.pk)


class Organization(models.Model):
    """A client organisation: the tenant. Everything its people do is scoped to it."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("Two-letter ISO code, for example NL."),
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO code such as NL."))],
    )
    vat_number = models.CharField(_("VAT number"), max_length=30, blank=True)
    subscription_ends_on = models.DateField(_("subscription ends on"), null=True, blank=True)

    # Organisation-level privacy settings; profiles/visibility.py combines them with the
    # person's own, and the stricter of the two wins.
    colleague_search_enabled = models.BooleanField(_("colleague search"), default=True)
    names_on_plans = models.BooleanField(_("show bookers' names on floor plans"), default=True)
    presence_sharing_allowed = models.BooleanField(_("presence sharing allowed"), default=True)
    retention_days = models.PositiveIntegerField(
        _("keep bookings and check-ins for (days)"),
        default=90,
        validators=[MinValueValidator(RETENTION_DAYS_MIN), MaxValueValidator(RETENTION_DAYS_MAX)],
    )
    strict_mode = models.BooleanField(
        _("strict mode"),
        default=False,
        help_text=_("Facility managers see only totals, never one person's attendance."),
    )
    staff_must_use_mfa = models.BooleanField(
        _("staff must use two-factor authentication"),
        default=False,
        help_text=_(
            "Facility managers and organisation admins set up an authenticator app before "
            "they can open the admin."
        ),
    )
    # Which optional profile fields the profile page asks for.
    asks_phone = models.BooleanField(_("ask for a phone number"), default=True)
    asks_picture = models.BooleanField(_("ask for a profile picture"), default=True)
    asks_postal_code = models.BooleanField(_("ask for a postal code"), default=True)
    asks_place_of_residence = models.BooleanField(_("ask for a place of residence"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmailDomainQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization | None) -> "EmailDomainQuerySet":
        if organization is None:
            return self.none()
        return self.filter(organization=organization)


class EmailDomain(models.Model):
    """An e-mail domain whose verified addresses join the organisation."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(
        _("domain"),
        max_length=253,
        unique=True,
        validators=[
            RegexValidator(
                r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
                _("Enter a domain such as example.com, in lower case."),
            )
        ],
    )

    objects = EmailDomainQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        self.domain = self.domain.strip().lower()


class UserQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization | None) -> "UserQuerySet":
        if organization is None:
            return self.none()
        return self.filter(membership__organization=organization)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # The whole address is compared case-insensitively (see the constraint below), so store
        # it in one case: two people can't register Anna@x.nl and anna@x.nl.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields["is_superuser"] = True
        return self.create_user(email, password, **extra_fields)


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    DUTCH = "nl", "Nederlands"


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The e-mail address is the login; everything else is optional."""

    email = models.EmailField(_("e-mail address"), max_length=254)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        blank=True,
        help_text=_("Leave empty to follow the browser."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    @property
    def display_name(self) -> str:
        return display_name_of(full_name=self.full_name, email=self.email)

    @property
    def role(self) -> str | None:
        membership = _cached_membership(self)
        return membership.role if membership else None

    @property
    def organization(self) -> "Organization | None":
        membership = _cached_membership(self)
        return membership.organization if membership else None

    @property
    def is_staff(self) -> bool:
        """Return whether the person may open the admin.

        Staff access comes from the role, never from a flag set by hand, so a facility
        manager cannot hand it out.
        """
        if self.is_superuser:
            return True
        return self.role in STAFF_ROLES


def display_name_of(*, full_name: str, email: str) -> str:
    """Return the name to show for a person: their name, or the part of the address before @."""
    return full_name or email.split("@")[0]


def _cached_membership(user: User) -> "Membership | None":
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("employee")
    FACILITY_MANAGER = "facility_manager", _("facility manager")
    ORGANIZATION_ADMIN = "organization_admin", _("organisation admin")

    @classmethod
    def rank(cls, role: str | None) -> int:
        order = [cls.EMPLOYEE, cls.FACILITY_MANAGER, cls.ORGANIZATION_ADMIN]
        return order.index(role) + 1 if role in order else 0


STAFF_ROLES = frozenset({Role.FACILITY_MANAGER, Role.ORGANIZATION_ADMIN})


class MembershipQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization | None) -> "MembershipQuerySet":
        if organization is None:
            return self.none()
        return self.filter(organization=organization)


class Membership(models.Model):
    """The one organisation a person belongs to, and their role in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="membership"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.EMPLOYEE)
    created_at = models.DateTimeField(_("member since"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organization})"


def _profile_picture_path(instance: "Profile", filename: str) -> str:
    # A random name: the upload's own name may hold the person's name or a date.
    return f"profile-pictures/{uuid.uuid4().hex}.jpg"


class ProfileQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization | None) -> "ProfileQuerySet":
        if organization is None:
            return self.none()
        return self.filter(user__membership__organization=organization)


class Profile(models.Model):
    """Optional personal data and the person's own privacy settings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="profile"
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    picture = models.ImageField(_("picture"), upload_to=_profile_picture_path, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    place_of_residence = models.CharField(_("place of residence"), max_length=100, blank=True)
    default_building = models.ForeignKey(
        "locations.Building",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default building"),
    )
    # Personal privacy settings: opt-in, so nobody is visible until they choose to be.
    findable = models.BooleanField(_("colleagues can find me"), default=False)
    name_on_plans = models.BooleanField(_("show my name on floor plans"), default=False)
    share_presence_by_default = models.BooleanField(
        _("share where I am when I check in, by default"), default=False
    )

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class PendingSignup(models.Model):
    """A sign-up waiting for its task, stored alike whatever the address.

    In the database rather than in the task's message: the password hash never sits in the
    broker, and a sweep completes sign-ups whose task was lost while the broker was down. The
    task deletes the row when it has made the account (or found it may not exist).
    """

    email = models.EmailField(max_length=254)
    password_hash = models.CharField(max_length=128)
    language = models.CharField(max_length=10)
    # False when allauth's limit on mails to this address was reached: no e-mail goes out.
    notify = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"sign-up #{self.pk} at {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal key for the mobile app's API. Only its hash is stored: it is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example: my phone."))
    prefix = models.CharField(_("starts with"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditAction(models.TextChoices):
    BOOKING_CANCELLED = "booking_cancelled", _("booking cancelled")
    BOOKING_CHANGED = "booking_changed", _("booking changed")
    RESOURCE_ACTIVATED = "resource_activated", _("resource made bookable")
    RESOURCE_DEACTIVATED = "resource_deactivated", _("resource made unbookable")
    CHECKIN_TOKEN_ROTATED = "checkin_token_rotated", _("new QR check-in code issued")
    STRICT_PRESET_APPLIED = "strict_preset_applied", _("strict privacy preset applied")
    ROLE_CHANGED = "role_changed", _("role changed")
    ACCOUNT_CHANGED = "account_changed", _("account changed")
    ORGANIZATION_SETTINGS_CHANGED = (
        "organization_settings_changed",
        _("privacy or security settings changed"),
    )


class AuditEntryQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization | None) -> "AuditEntryQuerySet":
        if organization is None:
            return self.none()
        return self.filter(organization=organization)


class AuditEntry(models.Model):
    """A change someone of staff made: who, what, to which object and whom, when and why.

    Written by profiles/audit.py in the transaction of the change itself. `description` names
    the object without naming a person (a desk and a period, a role), so the row reads on
    its own after the object is gone; the person is `subject`. When the staff member is
    erased, `actor` becomes empty and `actor_role` still says what kind of staff it was.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries_made",
        verbose_name=_("staff member"),
    )
    actor_role = models.CharField(_("staff role"), max_length=32)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind of object"),
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    description = models.CharField(_("object"), max_length=200)
    # Before and after, as short descriptions like `description` (never a person's name).
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The building's zone, for showing the times of a booking or resource as people there do.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries_about",
        verbose_name=_("person affected"),
    )
    reason = models.TextField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="audit_org_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.description}"

    @property
    def actor_display(self) -> str:
        """Return the staff member's name, or "a former staff member" once they are erased."""
        if self.actor is None:
            return str(_("a former staff member"))
        return self.actor.display_name
