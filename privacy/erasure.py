"""Erasure: remove a person and everything that points to them, keeping anonymous counts.

`ERASERS` names every model that points to a person (plus their sessions) and the function
that clears it; `export.EXPORTERS` covers the same models, and a test keeps both complete.
Foreign keys to the person are PROTECT, so a model that was forgotten here makes the final
delete of the user fail instead of silently cascading.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bookings.models import Booking, CalendarFeed, FavoriteResource
from bookings.services import cancel_future_bookings_of, delete_bookings_of, delete_check_ins_of
from privacy.models import DataExport, StaffAccess
from privacy.sessions import delete_sessions_of
from privacy.statistics import (
    aggregate_day,
    fold_bookings,
    last_complete_day,
    local_day,
    uncounted_days,
)
from profiles.models import ApiToken, AuditEntry, Membership, Profile, User

logger = logging.getLogger(__name__)

SESSION_BATCH_SIZE = 500


@dataclass
class ErasureSummary:
    """What outlived the person: only these counts, in the anonymous statistics."""

    bookings_counted: int = 0
    check_ins_counted: int = 0
    future_bookings_cancelled: int = 0


def _delete_file_on_commit(name: str) -> None:
    # After the commit: a rolled-back erasure must not leave a profile without its picture.
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _erase_bookings(user: User, now: datetime, summary: ErasureSummary) -> None:
    summary.future_bookings_cancelled += cancel_future_bookings_of(user=user, now=now)

    theirs = Booking.objects.filter(user=user)
    by_organization = theirs.order_by().values_list("organization_id", flat=True).distinct()
    for organization_id in by_organization:
        until = last_complete_day(organization_id=organization_id, now=now)
        # Days that are over are counted whole (a no-op when counted before); the person's
        # bookings of days still to come are added on their own, and the count of those days
        # later won't see them, as they are deleted below.
        for day in uncounted_days(bookings=theirs, organization_id=organization_id):
            if day <= until:
                aggregate_day(organization_id=organization_id, day=day)
        not_over = defaultdict(list)
        remaining = theirs.filter(organization_id=organization_id).select_related(
            "resource__floor__building", "check_in"
        )
        for booking in remaining:
            summary.bookings_counted += 1
            summary.check_ins_counted += hasattr(booking, "check_in")
            if local_day(booking) > until:
                not_over[local_day(booking)].append(booking)
        fold_bookings(
            organization_id=organization_id,
            bookings=[b for bookings in not_over.values() for b in bookings],
        )
    # Bookings they made for others stay with those people.
    delete_bookings_of(user=user)


Eraser = Callable[[User, datetime, ErasureSummary], None]


def _delete_theirs(model) -> Eraser:
    """Return an eraser that deletes the person's rows of `model`, which holds nothing else."""

    def erase(user: User, now: datetime, summary: ErasureSummary) -> None:
        model.objects.filter(user=user).delete()

    return erase


def _erase_check_ins(user: User, now: datetime, summary: ErasureSummary) -> None:
    # Counted and deleted with their bookings; anything left (there should be nothing) goes.
    delete_check_ins_of(user=user)


def _erase_profile(user: User, now: datetime, summary: ErasureSummary) -> None:
    for profile in Profile.objects.filter(user=user):
        _delete_file_on_commit(profile.picture.name)
        profile.delete()


def _erase_data_exports(user: User, now: datetime, summary: ErasureSummary) -> None:
    for export in DataExport.objects.filter(user=user):
        _delete_file_on_commit(export.file.name)
        export.delete()


def _erase_staff_accesses(user: User, now: datetime, summary: ErasureSummary) -> None:
    StaffAccess.objects.filter(person=user).delete()
    # Who looked at others' records stays visible to those others, just no longer by name.
    StaffAccess.objects.filter(staff=user).update(staff=None)


def _erase_audit_entries(user: User, now: datetime, summary: ErasureSummary) -> None:
    # Entries about the person go with them. Changes they made as staff stay in their
    # organisation's log, by "a former staff member" (actor_role still says which role).
    AuditEntry.objects.filter(subject=user).delete()
    AuditEntry.objects.filter(actor=user).update(actor=None)


def _erase_social_accounts(user: User, now: datetime, summary: ErasureSummary) -> None:
    # Their tokens cascade.
    SocialAccount.objects.filter(user=user).delete()


def _erase_admin_log(user: User, now: datetime, summary: ErasureSummary) -> None:
    # Their own actions, and others' actions on their records (the entry names them).
    about_them = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    for model, pks in (
        (Profile, Profile.objects.filter(user=user).values_list("pk", flat=True)),
        (Membership, Membership.objects.filter(user=user).values_list("pk", flat=True)),
    ):
        about_them |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        )
    LogEntry.objects.filter(Q(user=user) | about_them).delete()


def _erase_sessions(user: User, now: datetime, summary: ErasureSummary) -> None:
    # Expired ones too: an expired session still decodes to the person's id.
    delete_sessions_of(user, now=now)


def _erase_user(user: User, now: datetime, summary: ErasureSummary) -> None:
    # Group and permission links cascade; any other row still pointing here is PROTECT and
    # makes this fail, rolling the whole erasure back.
    User.objects.filter(pk=user.pk).delete()


# In the order they run: bookings are counted while profile and membership still exist;
# log entries about the profile are found before it goes; the user row goes last.
ERASERS: dict[str, Eraser] = {
    "bookings.booking": _erase_bookings,
    "bookings.checkin": _erase_check_ins,
    "bookings.favoriteresource": _delete_theirs(FavoriteResource),
    "bookings.calendarfeed": _delete_theirs(CalendarFeed),
    "admin.logentry": _erase_admin_log,
    "profiles.profile": _erase_profile,
    "profiles.membership": _delete_theirs(Membership),
    "profiles.apitoken": _delete_theirs(ApiToken),
    "privacy.dataexport": _erase_data_exports,
    "privacy.staffaccess": _erase_staff_accesses,
    "profiles.auditentry": _erase_audit_entries,
    "account.emailaddress": _delete_theirs(EmailAddress),
    "socialaccount.socialaccount": _erase_social_accounts,
    "mfa.authenticator": _delete_theirs(Authenticator),
    "sessions.session": _erase_sessions,
    # Emptied with the sessions above, through the index they are; this only makes sure.
    "usersessions.usersession": _delete_theirs(UserSession),
    "profiles.user": _erase_user,
}


@transaction.atomic
def erase_person(*, user: User, now: datetime | None = None) -> ErasureSummary:
    """Erase a person: cancel what is to come, count the past anonymously, delete the rest.

    One transaction: either every trace goes, or nothing changes. Files are removed from
    storage after the commit.
    """
    now = now or timezone.now()
    # Lock the person first, as the booking services do: no booking can be made for them
    # while they are being erased.
    user = User.objects.select_for_update().get(pk=user.pk)
    summary = ErasureSummary()
    for eraser in ERASERS.values():
        eraser(user, now, summary)
    logger.info("erased person %s", user.pk)
    return summary
