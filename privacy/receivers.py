from privacy.models import StaffAccess
from profiles.models import User
from profiles.signals import person_record_opened


def _staff_role(staff: User) -> str:
    # A platform superuser who is also a member acts as the platform, not in their role.
    return "superuser" if staff.is_superuser else staff.role or ""


def _record_staff_access(sender, *, person: User, staff: User, record: str, **kwargs) -> None:
    # Who, when and what kind of record: never a copy of what was on the page.
    StaffAccess.objects.create(
        person=person, staff=staff, staff_role=_staff_role(staff), record=record
    )


def connect() -> None:
    person_record_opened.connect(_record_staff_access, dispatch_uid="privacy.record_staff_access")
