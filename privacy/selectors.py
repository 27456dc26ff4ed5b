"""Reads of the privacy pages."""

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from django.utils.translation import gettext_lazy as _

from locations.models import Building
from privacy.models import StaffAccess
from profiles.audit import role_label
from profiles.models import Profile, User


@dataclass(frozen=True)
class StaffAccessRow:
    accessed_at: datetime
    staff: str
    role: str
    record: str


def home_time_zone(*, person: User, profile: Profile | None) -> tzinfo:
    """Return the time zone a person's own log is shown in.

    Their default building's (from `profile`, the person's, which the caller has loaded); else
    their organisation's first building's (the oldest, so that adding a building does not move
    every time on the page); else UTC.
    """
    building = profile.default_building if profile else None
    if building is None and person.organization is not None:
        building = Building.objects.for_organization(person.organization).order_by("pk").first()
    return building.tz if building is not None else UTC


def staff_accesses_of(person: User, *, limit: int) -> list[StaffAccessRow]:
    """Return the latest times staff looked at `person`'s records: who, in what role, what, when.

    Staff are named: they act in their role, and the privacy statement promises the person
    "who". A staff member who has since been erased shows as "a former staff member".
    """
    accesses = StaffAccess.objects.filter(person=person).select_related("staff")[:limit]
    return [
        StaffAccessRow(
            accessed_at=access.accessed_at,
            staff=access.staff.display_name if access.staff else str(_("a former staff member")),
            role=role_label(access.staff_role),
            record=access.get_record_display(),
        )
        for access in accesses
    ]
