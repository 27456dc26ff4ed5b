import secrets
from enum import StrEnum
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profiles import roles
from profiles.audit import record_staff_change
from profiles.models import (
    ApiToken,
    AuditAction,
    Language,
    Membership,
    Organization,
    PendingSignup,
    Profile,
    Role,
    User,
)
from profiles.selectors import api_key_hash, organization_for_email
from profiles.sessions import end_sessions, unindexed_sessions_of

if TYPE_CHECKING:
    from locations.models import Building


class MembershipError(Exception):
    """A broken membership or role rule; str() is shown to the user."""


class ProfileError(Exception):
    """A broken profile or privacy rule; str() is shown to the user."""


def may_assign_role(*, actor: User, target: User | None, role: str) -> bool:
    """Return whether `actor` may give `target` (None: a new person) the role `role`.

    Nobody changes their own role, and a role is only handed out by someone ranked above it,
    to someone ranked below them: a facility manager can't create another facility manager
    (that grants admin access), let alone an organisation admin.
    """
    if actor.is_superuser:
        return True
    if target is not None and target.pk == actor.pk:
        return role == actor.role
    if target is not None and target.is_superuser:
        return False
    actor_rank = Role.rank(actor.role)
    if target is not None and Role.rank(target.role) >= actor_rank:
        return False
    return Role.rank(role) < actor_rank


def _sync_role_group(user: User, role: str) -> None:
    # Groups carry the admin permissions of the role; nothing else may put a person in one.
    user.groups.set([group] if (group := roles.group_for_role(role)) else [])


@transaction.atomic
def set_role(*, membership: Membership, role: str, actor: User) -> Membership:
    """Change a person's role, refusing anything the actor may not grant; log who did it."""
    if role not in Role.values:
        raise MembershipError(f"Unknown role {role!r}.")
    if role == membership.role:
        return membership
    if not may_assign_role(actor=actor, target=membership.user, role=role):
        raise MembershipError("You can't give this role to this person.")
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _sync_role_group(membership.user, role)
    record_staff_change(
        actor=actor,
        organization=membership.organization_id,
        action=AuditAction.ROLE_CHANGED,
        obj=membership,
        description=f"{old_role} → {role}",
        subject=membership.user,
        changes={"role": [old_role, role]},
    )
    return membership


# What staff may change on someone else's account in admin (role: set_role()).
MEMBER_FIELDS = ("full_name", "language", "is_active")


@transaction.atomic
def update_member(*, user: User, actor: User, **values) -> User:
    """Save what staff changed on a person's account (MEMBER_FIELDS), and log which fields.

    The entry names the fields, not their values: a name is the person's data, and the log
    would keep it after the person corrected it.
    """
    unknown = set(values) - set(MEMBER_FIELDS)
    if unknown:
        raise MembershipError(f"Staff can't change {sorted(unknown)}.")
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    if not changed:
        return user
    for name in changed:
        setattr(user, name, values[name])
    user.save(update_fields=changed)
    if actor.pk != user.pk and user.organization is not None:
        record_staff_change(
            actor=actor,
            organization=user.organization,
            action=AuditAction.ACCOUNT_CHANGED,
            obj=user,
            description=", ".join(changed),
            subject=user,
            changes={"fields": changed},
        )
    return user


def set_language(*, user: User, language: str) -> User:
    """Remember the person's language, so every page and e-mail uses it."""
    if language not in Language.values:
        raise MembershipError(f"Unknown language {language!r}.")
    user.language = language
    user.save(update_fields=["language"])
    return user


def check_member_email(*, organization: Organization, email: str) -> None:
    """Refuse an address on another organisation's e-mail domain.

    That person belongs to the other organisation: an account made for them here would stop
    them from signing up there, and a password reset would land them inside this one.
    """
    owner = organization_for_email(User.objects.normalize_email(email))
    if owner is not None and owner.pk != organization.pk:
        raise MembershipError(
            _(
                "This address is on another organisation's e-mail domain: that person joins "
                "their own organisation by signing up."
            )
        )


@transaction.atomic
def create_member(
    *,
    organization: Organization,
    email: str,
    full_name: str = "",
    role: str = Role.EMPLOYEE,
    password: str | None = None,
    email_verified: bool = False,
) -> User:
    """Create a person in an organisation, with their (empty) profile and role group."""
    email = User.objects.normalize_email(email)
    check_member_email(organization=organization, email=email)
    if User.objects.filter(email__iexact=email).exists():
        raise MembershipError("Someone with this e-mail address already has an account.")
    user = User.objects.create_user(email, password, full_name=full_name)
    Membership.objects.create(user=user, organization=organization, role=role)
    Profile.objects.create(user=user)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    _sync_role_group(user, role)
    return user


class SignupOutcome(StrEnum):
    CREATED = "created"
    ACCOUNT_EXISTS = "account_exists"
    UNKNOWN_ORGANIZATION = "unknown_organization"


def sign_up(*, email: str, password_hash: str) -> tuple[SignupOutcome, User | None]:
    """Create an unverified account for a new address on a client organisation's domain.

    Runs in a task, not in the sign-up request: the request does the same work for every
    address, so its timing can't tell a visitor which addresses or organisations we know.
    The person joins the organisation once the address is verified, not here.
    """
    email = User.objects.normalize_email(email)
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        return SignupOutcome.ACCOUNT_EXISTS, None
    if organization_for_email(email) is None:
        return SignupOutcome.UNKNOWN_ORGANIZATION, None
    try:
        with transaction.atomic():
            user = User.objects.create(email=email, password=password_hash)
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    except IntegrityError:
        # Two sign-ups for one address raced; the other one created the account.
        return SignupOutcome.ACCOUNT_EXISTS, None
    return SignupOutcome.CREATED, user


def complete_pending_signup(
    *, pending_id: int
) -> tuple[PendingSignup, SignupOutcome, User | None] | None:
    """Carry out a stored sign-up and delete it; return None if another run has it or had it.

    Claimed with SKIP LOCKED and deleted in the same transaction, so a task delivered twice,
    or the sweep racing the task, signs up once and sends one e-mail.
    """
    with transaction.atomic():
        pending = (
            PendingSignup.objects.select_for_update(skip_locked=True).filter(pk=pending_id).first()
        )
        if pending is None:
            return None
        outcome, user = sign_up(email=pending.email, password_hash=pending.password_hash)
        pending.delete()
    return pending, outcome, user


@transaction.atomic
def join_organization_by_verified_email(*, user: User, email: str) -> Membership | None:
    """Make a person a member of the organisation that owns their verified address's domain.

    Called once the address is verified, never at sign-up: an unverified address proves
    nothing about who the person works for.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    existing = Membership.objects.filter(user=user).first()
    if existing:
        return existing
    organization = organization_for_email(email)
    if organization is None:
        return None
    membership = Membership.objects.create(user=user, organization=organization, role=Role.EMPLOYEE)
    Profile.objects.get_or_create(user=user)
    return membership


def end_other_session(*, user: User, session_key_now: str, session_id: int) -> bool:
    """End one of the person's other sessions (a device they don't know); return whether it was.

    Another person's session, or the one making the request, is not found: the latter ends
    by logging out.
    """
    session = (
        UserSession.objects.filter(user=user, pk=session_id)
        .exclude(session_key=session_key_now)
        .first()
    )
    if session is None:
        return False
    # Deletes the session itself, so its cookie no longer signs anyone in, and its list row.
    session.end()
    return True


def end_sessions_elsewhere(*, user: User, session_key_now: str) -> int:
    """End every session of the person but the one making the request; return how many.

    The listed ones and any the list does not know yet (from before the list existed, or a
    log-in that made no request since), so "log out everywhere else" leaves none behind.
    """
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    keys.update(s.session_key for s in unindexed_sessions_of(user, now=timezone.now()))
    keys.discard(session_key_now)
    end_sessions(keys)
    return len(keys)


# Recognisable in logs and by secret scanners; the random part carries 256 bits.
API_KEY_PREFIX = "ob_"


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token for the person; return it with its key, which is shown only once.

    Only the key's hash is stored, and its first characters so the person can tell keys apart.
    """
    raw_key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw_key[:8], key_hash=api_key_hash(raw_key))
    token.full_clean()
    token.save()
    return token, raw_key


def revoke_api_token(*, user: User, token_id: int) -> bool:
    """Stop one of the person's tokens from working; return whether a live one was revoked."""
    revoked = (
        ApiToken.objects.live().filter(user=user, pk=token_id).update(revoked_at=timezone.now())
    )
    return revoked == 1


@transaction.atomic
def update_profile(
    *,
    user: User,
    full_name: str,
    language: str,
    default_building: "Building | None",
    phone: str | None = None,
    postal_code: str | None = None,
    place_of_residence: str | None = None,
    picture: ContentFile | None = None,
    remove_picture: bool = False,
) -> Profile:
    """Save the person's name, language and profile data.

    None leaves a field as it is: the organisation may not ask for it. `picture` must come
    from profiles.images.process_picture(), which strips what the original carried; its
    stored name comes from the field's upload_to. A replaced or removed picture's file is
    deleted once the transaction has committed, so a rollback never loses the one in use.
    """
    if language and language not in Language.values:
        raise ProfileError(f"Unknown language {language!r}.")
    if default_building is not None and default_building.organization_id != (
        user.organization.pk if user.organization else None
    ):
        raise ProfileError("Choose a building of your own organisation.")
    user.full_name = full_name
    user.language = language
    user.save(update_fields=["full_name", "language"])

    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    profile.default_building = default_building
    for name, value in (
        ("phone", phone),
        ("postal_code", postal_code),
        ("place_of_residence", place_of_residence),
    ):
        if value is not None:
            setattr(profile, name, value)
    old_picture = profile.picture.name
    if picture is not None:
        profile.picture.save(picture.name or "picture.jpg", picture, save=False)
    elif remove_picture:
        profile.picture = ""
    profile.full_clean()
    profile.save()
    if old_picture and old_picture != profile.picture.name:
        storage = profile.picture.storage
        transaction.on_commit(lambda: storage.delete(old_picture))
    return profile


def update_privacy_settings(
    *, user: User, findable: bool, name_on_plans: bool, share_presence_by_default: bool
) -> Profile:
    """Save the person's own privacy choices; the organisation's settings still win."""
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.findable = findable
    profile.name_on_plans = name_on_plans
    profile.share_presence_by_default = share_presence_by_default
    profile.save(update_fields=["findable", "name_on_plans", "share_presence_by_default"])
    return profile


STRICT_PRESET = {
    "colleague_search_enabled": False,
    "names_on_plans": False,
    "presence_sharing_allowed": False,
    "strict_mode": True,
}


# The settings that decide what staff and colleagues see of people, and how staff sign in:
# changing one is a staff change the organisation's admins must be able to review.
AUDITED_ORGANIZATION_SETTINGS = (
    "staff_must_use_mfa",
    "colleague_search_enabled",
    "names_on_plans",
    "presence_sharing_allowed",
    "strict_mode",
    "retention_days",
    "asks_phone",
    "asks_picture",
    "asks_postal_code",
    "asks_place_of_residence",
)


@transaction.atomic
def save_organization(*, organization: Organization, actor: User) -> Organization:
    """Save an organisation edited by staff, logging each privacy or security setting changed."""
    stored = None
    if organization.pk:
        stored = (
            Organization.objects.select_for_update()
            .filter(pk=organization.pk)
            .values(*AUDITED_ORGANIZATION_SETTINGS)
            .first()
        )
    organization.save()
    if stored is None:
        return organization
    changes = {
        name: [stored[name], getattr(organization, name)]
        for name in AUDITED_ORGANIZATION_SETTINGS
        if stored[name] != getattr(organization, name)
    }
    if changes:
        record_staff_change(
            actor=actor,
            organization=organization,
            action=AuditAction.ORGANIZATION_SETTINGS_CHANGED,
            obj=organization,
            description=organization.name,
            changes=changes,
        )
    return organization


save_organization.alters_data = True


@transaction.atomic
def apply_strict_preset(*, organization: Organization, actor: User) -> Organization:
    """Switch the organisation to the settings a works council may ask for, in one go.

    No names on plans, no colleague search, no presence sharing, and facility managers see
    only aggregate numbers.
    """
    allowed = actor.is_superuser or (
        actor.role == Role.ORGANIZATION_ADMIN and actor.organization == organization
    )
    if not allowed:
        raise ProfileError("Only an admin of the organisation can change its privacy settings.")
    before = {name: getattr(organization, name) for name in STRICT_PRESET}
    for name, value in STRICT_PRESET.items():
        setattr(organization, name, value)
    organization.save(update_fields=list(STRICT_PRESET))
    record_staff_change(
        actor=actor,
        organization=organization,
        action=AuditAction.STRICT_PRESET_APPLIED,
        obj=organization,
        description=organization.name,
        changes={name: [before[name], value] for name, value in STRICT_PRESET.items()},
    )
    return organization
