"""The audit log of staff changes: the one writer of `AuditEntry`.

profiles is the lowest app, so locations and bookings record their staff changes here without
importing a higher app. A caller records inside the transaction that makes the change: the
change and its entry commit together or not at all.
"""

import zoneinfo
from datetime import UTC

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from profiles.models import AuditAction, AuditEntry, Organization, Role, User


def staff_role_of(actor: User) -> str:
    """Return the role the actor acted in; a platform superuser acts as the platform."""
    return "superuser" if actor.is_superuser else actor.role or ""


def role_label(role: str) -> str:
    """Return the staff role as people read it; a role that no longer exists shows as stored."""
    if role == "superuser":
        return _("platform administrator")
    return str(dict(Role.choices).get(role, role))


def record_staff_change(
    *,
    actor: User,
    organization: Organization | int,
    action: str,
    obj: models.Model,
    description: str,
    subject: User | None = None,
    reason: str = "",
    changes: dict | None = None,
    time_zone: str = "",
) -> AuditEntry:
    """Create and save the entry for one staff change of `obj`.

    `description` and `changes` name the object (a desk and a period, a role) and must not
    name the person: the person is `subject`, which erasure removes with the row.
    """
    organization_id = organization if isinstance(organization, int) else organization.pk
    entry = AuditEntry(
        organization_id=organization_id,
        actor=actor,
        actor_role=staff_role_of(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        description=description[:200],
        changes=changes or {},
        time_zone=time_zone,
        subject=subject,
        reason=reason.strip(),
    )
    entry.full_clean(exclude=["actor", "subject", "content_type", "organization"])
    entry.save()
    return entry


record_staff_change.alters_data = True


def describe_change(entry: AuditEntry) -> str:
    """Return what changed, in the active language where it has words: "A.01 … → A.02 …"."""
    changes = entry.changes or {}
    if "before" in changes:
        return f"{changes['before']} → {changes.get('after', '')}"
    if entry.action == AuditAction.ROLE_CHANGED and len(changes.get("role", [])) == 2:
        old, new = changes["role"]
        return f"{role_label(old)} → {role_label(new)}"
    if entry.action == AuditAction.ACCOUNT_CHANGED:
        names = []
        for name in changes.get("fields", []):
            try:
                names.append(str(User._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                names.append(name)
        return ", ".join(names)
    return entry.description


def building_zone(entry: AuditEntry) -> zoneinfo.ZoneInfo | None:
    """Return the time zone of the building the change was about, or None for no building."""
    try:
        return zoneinfo.ZoneInfo(entry.time_zone) if entry.time_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def local_when(entry: AuditEntry) -> str:
    """Return when the change was made, with its zone named: "2 Dec 2026, 14:05 CET".

    In the time zone of the building the change was about, as people there read their
    bookings; a change about no building (a role, an account) is in UTC.
    """
    moment = timezone.localtime(entry.created_at, building_zone(entry) or UTC)
    return f"{formats.date_format(moment, 'DATETIME_FORMAT')} {moment.tzname()}"
