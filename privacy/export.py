"""The "Download my data" export (GDPR art. 15 and 20): a ZIP built in the background.

`EXPORTERS` names every model that points to a person and says what of it goes into
`data.json`; the erasure registry covers the same models, and a test keeps the two complete.
The format is described in docs/data-export.md and on the page `export_format`.
"""

import json
import logging
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from celery import shared_task
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from bookings.calendar import bookings_calendar
from bookings.models import Booking, CalendarFeed, CheckIn, FavoriteResource
from officebooking.celery import enqueue_on_commit
from privacy.models import DataExport, StaffAccess
from privacy.sessions import live_sessions_of
from profiles.models import ApiToken, AuditEntry, Membership, Profile, User

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(days=7)
# A build normally takes seconds; after these the sweep queues it again, or gives it up.
WAITING_TOO_LONG = timedelta(minutes=5)
RUNNING_TOO_LONG = timedelta(hours=1)
FORMAT_VERSION = 1
PICTURE_NAME = "profile-picture.jpg"
CALENDAR_NAME = "bookings.ics"
DATA_NAME = "data.json"
README_NAME = "README.txt"
BUILD_TASK = "privacy.export.build_data_export_task"


# Every concrete field of a row that points to the person is in data.json, under its own name
# or the one below, unless it is listed here with the reason it is left out
# (tests/privacy/test_completeness.py holds the export to this, field by field).
_ROW_ID = "internal row number, meaningless outside the database"
_THE_PERSON = "the person themselves: the whole export is theirs"
_ORGANIZATION_COPY = "a copy of the membership's organisation, exported with the membership"
NOT_EXPORTED: dict[str, dict[str, str]] = {
    "profiles.user": {"id": _ROW_ID, "password": "the password hash: a secret"},
    "profiles.profile": {"id": _ROW_ID, "user": _THE_PERSON},
    "profiles.membership": {"id": _ROW_ID, "user": _THE_PERSON},
    "profiles.apitoken": {
        "id": _ROW_ID,
        "user": _THE_PERSON,
        "key_hash": "the hash of the token: a secret",
    },
    "bookings.booking": {"organization": _ORGANIZATION_COPY, "user": _THE_PERSON},
    "bookings.checkin": {"id": _ROW_ID, "organization": _ORGANIZATION_COPY, "user": _THE_PERSON},
    "bookings.favoriteresource": {
        "id": _ROW_ID,
        "organization": _ORGANIZATION_COPY,
        "user": _THE_PERSON,
    },
    "bookings.calendarfeed": {
        "id": _ROW_ID,
        "user": _THE_PERSON,
        "token_hash": "the hash of the feed's secret address: a secret",
    },
    "privacy.dataexport": {
        "id": _ROW_ID,
        "user": _THE_PERSON,
        "progress": "how far the build got, not about the person",
        "file": "where the ZIP is stored; the ZIP is the export itself",
    },
    "privacy.staffaccess": {"id": _ROW_ID, "person": _THE_PERSON},
    "profiles.auditentry": {
        "id": _ROW_ID,
        "organization": _ORGANIZATION_COPY,
        "content_type": "the kind of the changed object, described in `object`",
        "object_id": "the changed object's row number, described in `object`",
        "subject": "about_me: the person themselves; by_me: someone else, whose data it is",
    },
    "usersessions.usersession": {
        "id": _ROW_ID,
        "user": _THE_PERSON,
        "session_key": "the session's key: whoever holds it is signed in",
    },
    "account.emailaddress": {"id": _ROW_ID, "user": _THE_PERSON},
    "socialaccount.socialaccount": {"id": _ROW_ID, "user": _THE_PERSON},
    "mfa.authenticator": {
        "id": _ROW_ID,
        "user": _THE_PERSON,
        "data": "the TOTP secret and recovery codes: secrets",
    },
    "admin.logentry": {
        "id": _ROW_ID,
        "user": _THE_PERSON,
        "object_repr": "the changed object's text, which may name someone else",
    },
    "sessions.session": {
        "session_key": "the session's key: whoever holds it is signed in",
        "session_data": "the encoded session: the person's id and login hash",
    },
}
# Fields exported under another name.
EXPORTED_AS: dict[str, dict[str, str]] = {
    "profiles.user": {"user_permissions": "permissions"},
    "profiles.membership": {"created_at": "member_since"},
    "bookings.booking": {
        "resource_kind": "kind",
        # Who booked it for the person is the colleague's data; that someone did is theirs.
        "booked_by": "booked_by_someone_else",
    },
    "profiles.auditentry": {"actor": "staff_member", "actor_role": "staff_role"},
    "admin.logentry": {"content_type": "object_type", "action_flag": "action"},
    "sessions.session": {"expire_date": "expires"},
}


def _jsonable(value):
    # One pass through Django's encoder turns datetimes, dates, UUIDs and decimals into the
    # strings data.json holds, so every exporter can return plain rows from the ORM.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_user(user: User) -> dict:
    # The group and permission tables that point to the person are exported here, as names.
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "is_active": user.is_active,
        "is_superuser": user.is_superuser,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }


def export_profile(user: User) -> dict | None:
    profile = Profile.objects.filter(user=user).select_related("default_building").first()
    if profile is None:
        return None
    data = {}
    # Every concrete field, so a field added to Profile later is exported without a change here.
    for field in Profile._meta.concrete_fields:
        if field.name in ("id", "user"):
            continue
        value = getattr(profile, field.name)
        if field.name == "picture":
            value = PICTURE_NAME if value else None
        elif field.is_relation:
            value = str(value) if value is not None else None
        data[field.name] = value
    return _jsonable(data)


def export_membership(user: User) -> dict | None:
    membership = Membership.objects.filter(user=user).select_related("organization").first()
    if membership is None:
        return None
    organization = membership.organization
    return {
        "organization": organization.name,
        "role": membership.role,
        "member_since": _iso(membership.created_at),
        "organization_privacy_settings": {
            "colleague_search_enabled": organization.colleague_search_enabled,
            "names_on_plans": organization.names_on_plans,
            "presence_sharing_allowed": organization.presence_sharing_allowed,
            "retention_days": organization.retention_days,
        },
    }


def export_api_tokens(user: User) -> list:
    # Only the prefix: the key itself was shown once and is not stored; its hash stays here.
    tokens = ApiToken.objects.filter(user=user).order_by("created_at")
    return _jsonable(
        list(tokens.values("name", "prefix", "created_at", "last_used_at", "revoked_at"))
    )


def _booking_row(booking: Booking) -> dict:
    resource = booking.resource
    return {
        "id": booking.pk,
        "resource": str(resource),
        "kind": booking.resource_kind,
        "floor": resource.floor.name,
        "building": resource.floor.building.name,
        "start": _iso(booking.start),
        "end": _iso(booking.end),
        "status": booking.status,
        "note": booking.note,
        "created_at": _iso(booking.created_at),
        "updated_at": _iso(booking.updated_at),
        "reminder_sent_at": _iso(booking.reminder_sent_at),
        "release_notice_sent_at": _iso(booking.release_notice_sent_at),
    }


def export_bookings(user: User) -> dict:
    bookings = Booking.objects.filter(Q(user=user) | Q(booked_by=user)).select_related(
        "resource__floor__building"
    )
    mine, for_others = [], []
    for booking in bookings.order_by("start"):
        if booking.user_id == user.pk:
            row = _booking_row(booking)
            row["booked_by_someone_else"] = booking.booked_by_id not in (None, user.pk)
            mine.append(row)
        else:
            # Booked by this person for a colleague: the colleague is left out, it is their data.
            for_others.append(_booking_row(booking))
    return {"mine": mine, "made_for_others": for_others}


def export_check_ins(user: User) -> list:
    check_ins = CheckIn.objects.filter(user=user).select_related("booking__resource")
    return [
        {
            "booking": check_in.booking_id,
            "resource": str(check_in.booking.resource),
            "checked_in_at": _iso(check_in.checked_in_at),
            "checked_out_at": _iso(check_in.checked_out_at),
            "method": check_in.method,
            "shares_presence": check_in.shares_presence,
        }
        for check_in in check_ins.order_by("checked_in_at")
    ]


def export_favourites(user: User) -> list:
    favourites = FavoriteResource.objects.filter(user=user).select_related("resource")
    return [
        {"resource": str(favourite.resource), "created_at": _iso(favourite.created_at)}
        for favourite in favourites
    ]


def export_calendar_feeds(user: User) -> list:
    # Not the token's hash, and the token itself is never stored: only its first characters,
    # which tell feeds apart as on the calendar page.
    feeds = CalendarFeed.objects.filter(user=user).order_by("created_at")
    return _jsonable(list(feeds.values("prefix", "created_at", "revoked_at")))


def export_data_exports(user: User) -> list:
    exports = DataExport.objects.filter(user=user).order_by("created_at")
    return _jsonable(list(exports.values("created_at", "status", "finished_at", "expires_at")))


def export_staff_accesses(user: User) -> dict:
    # Of the person: who of staff (as "my data" shows it, null once they are erased), their
    # role, what and when. By the person (as staff): what kind of record and when, not whose:
    # that is the other person's data.
    of_me = StaffAccess.objects.filter(person=user).select_related("staff").order_by("accessed_at")
    by_me = StaffAccess.objects.filter(staff=user).order_by("accessed_at")
    return {
        "of_me": _jsonable(
            [
                {
                    "staff": access.staff.display_name if access.staff else None,
                    "staff_role": access.staff_role,
                    "record": access.record,
                    "accessed_at": access.accessed_at,
                }
                for access in of_me
            ]
        ),
        "by_me": _jsonable(list(by_me.values("record", "accessed_at"))),
    }


def export_audit_entries(user: User) -> dict:
    # About the person: who of staff changed what, when and why. By the person, as staff:
    # what and when, not whom nor why: the reason they wrote is about the other person.
    about_me = AuditEntry.objects.filter(subject=user).select_related("actor")
    by_me = AuditEntry.objects.filter(actor=user)
    return {
        "about_me": _jsonable(
            [
                {
                    "created_at": entry.created_at,
                    "staff_member": entry.actor_display,
                    "staff_role": entry.actor_role,
                    "action": entry.action,
                    "object": entry.description,
                    "changes": entry.changes,
                    "reason": entry.reason,
                    "time_zone": entry.time_zone,
                }
                for entry in about_me.order_by("created_at")
            ]
        ),
        "by_me": _jsonable(
            list(
                by_me.order_by("created_at").values(
                    "created_at", "action", "description", "changes", "time_zone"
                )
            )
        ),
    }


def export_email_addresses(user: User) -> list:
    addresses = EmailAddress.objects.filter(user=user).order_by("email")
    return list(addresses.values("email", "primary", "verified"))


def export_social_accounts(user: User) -> list:
    accounts = SocialAccount.objects.filter(user=user).order_by("date_joined")
    return _jsonable(
        list(accounts.values("provider", "uid", "last_login", "date_joined", "extra_data"))
    )


def export_authenticators(user: User) -> list:
    # Type and dates only: `data` holds the TOTP secret and recovery codes.
    authenticators = Authenticator.objects.filter(user=user).order_by("created_at")
    return _jsonable(list(authenticators.values("type", "created_at", "last_used_at")))


def export_sessions(user: User) -> list:
    """Where the person is signed in: only when each sign-in expires, not its contents."""
    return [
        {"expires": session.expire_date.isoformat()}
        for session in live_sessions_of(user, now=timezone.now())
    ]


def export_user_sessions(user: User) -> list:
    """The person's list of sessions: when, from which address and browser; not the key."""
    sessions = UserSession.objects.filter(user=user).order_by("created_at")
    return _jsonable(
        list(sessions.values("created_at", "last_seen_at", "ip", "user_agent", "data"))
    )


def export_admin_log(user: User) -> list:
    # What the person changed in the admin: the kind and id of the object, not its text,
    # which may name someone else.
    entries = LogEntry.objects.filter(user=user).select_related("content_type")
    return [
        {
            "action_time": _iso(entry.action_time),
            "object_type": entry.content_type.model if entry.content_type_id else None,
            "object_id": entry.object_id,
            "action": {1: "added", 2: "changed", 3: "deleted"}.get(entry.action_flag),
            "change_message": entry.get_change_message(),
        }
        for entry in entries.order_by("action_time")
    ]


EXPORTERS: dict[str, Callable[[User], object]] = {
    "profiles.user": export_user,
    "profiles.profile": export_profile,
    "profiles.membership": export_membership,
    "profiles.apitoken": export_api_tokens,
    "bookings.booking": export_bookings,
    "bookings.checkin": export_check_ins,
    "bookings.favoriteresource": export_favourites,
    "bookings.calendarfeed": export_calendar_feeds,
    "privacy.dataexport": export_data_exports,
    "privacy.staffaccess": export_staff_accesses,
    "profiles.auditentry": export_audit_entries,
    "account.emailaddress": export_email_addresses,
    "socialaccount.socialaccount": export_social_accounts,
    "mfa.authenticator": export_authenticators,
    "admin.logentry": export_admin_log,
    "sessions.session": export_sessions,
    "usersessions.usersession": export_user_sessions,
}


def export_data(user: User) -> dict:
    """Return everything data.json holds about the person."""
    return {label: exporter(user) for label, exporter in EXPORTERS.items()}


def start_export(*, user: User) -> tuple[DataExport, bool]:
    """Return the person's export in progress, or create one and queue its build.

    The boolean says whether a new export was created; a second click while one is being
    built gets the same export instead of a second ZIP.
    """
    unfinished = (DataExport.Status.PENDING, DataExport.Status.RUNNING)
    export = DataExport.objects.filter(user=user, status__in=unfinished).first()
    if export is not None:
        return export, False
    export = DataExport.objects.create(user=user)
    enqueue_on_commit(BUILD_TASK, export_id=export.pk)
    return export, True


def _set_progress(export: DataExport, progress: int) -> None:
    # Its own UPDATE, outside any transaction, so the polling page sees it at once.
    DataExport.objects.filter(pk=export.pk).update(progress=progress)


def build_export(export_id: int) -> DataExport | None:
    """Build the ZIP of an export that is waiting; return it, or None when another run has it.

    Safe to run twice: the conditional UPDATE lets one run claim the export.
    """
    claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
        status=DataExport.Status.RUNNING, progress=0
    )
    if not claimed:
        return None
    export = DataExport.objects.select_related("user").get(pk=export_id)
    user = export.user
    try:
        with tempfile.TemporaryFile() as archive:
            _write_zip(archive, export=export, user=user)
            archive.seek(0)
            export.file.save("export.zip", File(archive), save=False)
    except Exception:
        logger.exception("data export %s failed", export_id)
        now = timezone.now()
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.FAILED, finished_at=now, expires_at=now + EXPORT_LIFETIME
        )
        export.refresh_from_db()
        return export
    export.status = DataExport.Status.READY
    export.progress = 100
    export.finished_at = timezone.now()
    export.expires_at = export.finished_at + EXPORT_LIFETIME
    export.save(update_fields=["file", "status", "progress", "finished_at", "expires_at"])
    return export


def _write_zip(archive, *, export: DataExport, user: User) -> None:
    # Steps: one per section, then the calendar, the picture and the write-out.
    steps = len(EXPORTERS) + 3
    done = 0
    sections = {}
    for label, exporter in EXPORTERS.items():
        sections[label] = exporter(user)
        done += 1
        _set_progress(export, done * 100 // steps)

    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            bookings = Booking.objects.filter(user=user).select_related("resource__floor__building")
            zip_file.writestr(CALENDAR_NAME, bookings_calendar(bookings, name="Officebooking"))
        done += 1
        _set_progress(export, done * 100 // steps)

        picture = Profile.objects.filter(user=user).values_list("picture", flat=True).first()
        if picture:
            storage = Profile._meta.get_field("picture").storage
            with storage.open(picture, "rb") as image:
                zip_file.writestr(PICTURE_NAME, image.read())
        done += 1
        _set_progress(export, done * 100 // steps)

        document = {
            "format": "officebooking-data-export",
            "version": FORMAT_VERSION,
            "generated_at": timezone.now().isoformat(),
            "documentation": settings.BASE_URL + reverse("export_format"),
            "sections": sections,
        }
        zip_file.writestr(
            DATA_NAME, json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        zip_file.writestr(README_NAME, _readme(has_picture=bool(picture)))
    done += 1
    _set_progress(export, min(99, done * 100 // steps))


def _readme(*, has_picture: bool) -> str:
    files = [
        f"{DATA_NAME}  everything we hold about you, as JSON",
        f"{CALENDAR_NAME}  your bookings, as an iCalendar file",
    ]
    if has_picture:
        files.append(f"{PICTURE_NAME}  your profile picture")
    return (
        "Officebooking: your data\n\n"
        + "\n".join(files)
        + f"\n\nThe format is described at {settings.BASE_URL}{reverse('export_format')}\n"
    )


def delete_expired_exports(*, now: datetime) -> int:
    """Delete exports past their expiry, file first, and return how many went.

    Safe to run twice: a file already gone is skipped, and its row goes on the next run.
    """
    deleted = 0
    expired = DataExport.objects.filter(expires_at__lte=now).order_by("pk")
    while batch := list(expired.only("pk", "file")[:500]):
        for export in batch:
            if export.file:
                export.file.storage.delete(export.file.name)
        deleted += DataExport.objects.filter(pk__in=[export.pk for export in batch]).delete()[0]
    return deleted


def queue_waiting_exports(*, now: datetime) -> int:
    """Queue the build of exports left waiting, and fail those whose build died; return both.

    The sweep behind "a request never fails because a queue is down": the button only creates
    the row, so a broker that was down leaves it pending until this finds it.
    """
    waiting = DataExport.objects.filter(
        status=DataExport.Status.PENDING, created_at__lte=now - WAITING_TOO_LONG
    )
    export_ids = list(waiting.values_list("pk", flat=True)[:500])
    for export_id in export_ids:
        # Building claims the row first, so a build that is queued twice still runs once.
        enqueue_on_commit(BUILD_TASK, export_id=export_id)
    died = DataExport.objects.filter(
        status=DataExport.Status.RUNNING, created_at__lte=now - RUNNING_TOO_LONG
    ).update(status=DataExport.Status.FAILED, finished_at=now, expires_at=now + EXPORT_LIFETIME)
    return len(export_ids) + died


@shared_task
def build_data_export_task(*, export_id: int) -> bool:
    return build_export(export_id) is not None


@shared_task
def delete_expired_exports_task() -> int:
    return delete_expired_exports(now=timezone.now())


@shared_task
def queue_waiting_exports_task() -> int:
    return queue_waiting_exports(now=timezone.now())
