import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.mfa.models import Authenticator
from django.db.models import Q
from django.utils import timezone

from profiles import registry
from profiles.models import STAFF_ROLES, ApiToken, EmailDomain, Organization, User
from profiles.visibility import may_find, may_see_name_on_plan, may_see_presence


def organization_for_email(email: str) -> Organization | None:
    """Return the organisation whose e-mail domains include this address's domain."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    match = EmailDomain.objects.select_related("organization").filter(domain=domain).first()
    return match.organization if match else None


def must_use_two_factor(user: User) -> bool:
    """Return whether the person may open the admin only with a second factor.

    Platform superusers always; facility managers and organisation admins when their
    organisation asks it of its staff.
    """
    if user.is_superuser:
        return True
    organization = user.organization
    return user.role in STAFF_ROLES and organization is not None and organization.staff_must_use_mfa


def must_set_up_two_factor(user: User) -> bool:
    """Return whether the person must set up a second factor before any admin page opens.

    Having one is enough: allauth asks for it at every login, the admin's included.
    """
    if not must_use_two_factor(user):
        return False
    second_factors = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    return not Authenticator.objects.filter(user=user, type__in=second_factors).exists()


# A token in use is touched at most this often: a write per request would turn every API
# call into a row lock on the token.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def api_key_hash(raw_key: str) -> str:
    """Return the stored form of an API key: its SHA-256, in hex."""
    return hashlib.sha256(raw_key.encode()).hexdigest()


def user_for_api_key(raw_key: str) -> User | None:
    """Return the active member a live API key belongs to, or None.

    Also records when the key was last used, at most once a minute.
    """
    token = (
        ApiToken.objects.live()
        .filter(key_hash=api_key_hash(raw_key), user__is_active=True)
        .filter(user__membership__isnull=False)
        .select_related("user__membership__organization")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    stale_before = now - API_TOKEN_TOUCH_INTERVAL
    if token.last_used_at is None or token.last_used_at < stale_before:
        # Conditional, so a burst of requests from the app writes the row once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale_before)
        ).update(last_used_at=now)
    return token.user


COLLEAGUE_SEARCH_MIN_LENGTH = 2
COLLEAGUE_SEARCH_LIMIT = 20


@dataclass
class ColleagueHit:
    """A colleague found by search, with only what the viewer may see of where they are."""

    person: User
    # A check-in and bookings of the bookings app, which profiles only knows through
    # profiles.registry.
    check_in: object | None = None
    bookings_today: list = field(default_factory=list)
    bookings_this_week: list = field(default_factory=list)


def search_colleagues(
    *, viewer: User, query: str, now: datetime | None = None
) -> list[ColleagueHit]:
    """Return up to 20 colleagues matching `query` by name or e-mail, each with where they
    are checked in now and booked today and later this week, as far as visibility allows.

    People who opted out, and everyone of other organisations, are left out entirely. Three
    queries whatever the number of hits.
    """
    query = query.strip()
    organization = viewer.organization
    if len(query) < COLLEAGUE_SEARCH_MIN_LENGTH or organization is None:
        return []
    if not organization.colleague_search_enabled:
        return []
    candidates = (
        User.objects.filter(
            membership__organization=organization, is_active=True, profile__findable=True
        )
        .exclude(pk=viewer.pk)
        .filter(Q(full_name__icontains=query) | Q(email__icontains=query))
        .select_related("membership__organization", "profile")
        .order_by("full_name", "email")[:COLLEAGUE_SEARCH_LIMIT]
    )
    hits = {person.pk: ColleagueHit(person) for person in candidates if may_find(viewer, person)}
    if not hits:
        return []

    now = now or timezone.now()
    named = [pk for pk, hit in hits.items() if may_see_name_on_plan(viewer, hit.person)]
    # A week from now covers the rest of this week in every time zone; "today" and "this
    # week" are then the days of each booking's own building.
    bookings = registry.holding_bookings(
        organization=organization, person_ids=named, start=now, end=now + timedelta(days=8)
    )
    for booking in bookings:
        tz = booking.resource.floor.building.tz
        today = timezone.localtime(now, tz).date()
        day = timezone.localtime(booking.start, tz).date()
        if day <= today:
            hits[booking.user_id].bookings_today.append(booking)
        elif day <= today + timedelta(days=6 - today.weekday()):
            hits[booking.user_id].bookings_this_week.append(booking)

    check_ins = registry.open_check_ins(organization=organization, person_ids=list(hits))
    for check_in in check_ins:
        hit = hits[check_in.user_id]
        if may_see_presence(viewer, hit.person, shared_at_check_in=check_in.shares_presence):
            hit.check_in = check_in
    return list(hits.values())
