from privacy.models import StaffAccess
from profiles.audit import staff_role_of
from profiles.models import User
from profiles.signals import people_listed, person_record_opened


def _record_staff_access(sender, *, person: User, staff: User, record: str, **kwargs) -> None:
    # Who, when and what kind of record: never a copy of what was on the page.
    StaffAccess.objects.create(
        person=person, staff=staff, staff_role=staff_role_of(staff), record=record
    )


def _record_people_listed(sender, *, people: list[User], staff: User, record: str, **kwargs):
    # One row per person on the page, in one INSERT: a page holds up to a hundred.
    role = staff_role_of(staff)
    StaffAccess.objects.bulk_create(
        StaffAccess(person=person, staff=staff, staff_role=role, record=record) for person in people
    )


def connect() -> None:
    person_record_opened.connect(_record_staff_access, dispatch_uid="privacy.record_staff_access")
    people_listed.connect(_record_people_listed, dispatch_uid="privacy.record_people_listed")
