"""Retention: personal data ends; the anonymous statistics counted from it stay.

Both jobs are safe to interrupt and to run twice: a day is counted (with its watermark) in
its own transaction before any of its bookings are deleted, and deleting goes in batches that
each commit on their own, so a rerun finds what is left and counts nothing again.
"""

import logging
from datetime import UTC, datetime, time, timedelta

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet

from bookings.models import Booking, CalendarFeed
from bookings.services import purge_bookings
from privacy.contact import purge_undelivered_questions
from privacy.erasure import erase_person
from privacy.models import StaffAccess
from privacy.statistics import aggregate_day, last_complete_day, uncounted_days
from profiles.models import (
    ApiToken,
    AuditAction,
    AuditEntry,
    Organization,
    PendingSignup,
    User,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 500

# Personal data of an organisation whose subscription ended is kept this long, for a renewal.
SUBSCRIPTION_GRACE = timedelta(days=30)


def _count_then_delete(bookings, organization_id: int, now: datetime) -> int:
    """Count the days of these bookings of one organisation, then delete them; return how many."""
    until = last_complete_day(organization_id=organization_id, now=now)
    # Only bookings of days that are over can be counted whole; a booking starting before
    # this is on such a day in every time zone (UTC+14 at most). Later ones wait a night.
    counted_until = datetime.combine(until + timedelta(days=1), time.min, UTC) - timedelta(hours=14)
    bookings = bookings.filter(organization_id=organization_id, start__lt=counted_until)
    for day in uncounted_days(bookings=bookings, organization_id=organization_id):
        aggregate_day(organization_id=organization_id, day=day)
    deleted = 0
    bookings = bookings.order_by("pk")
    while pks := list(bookings.values_list("pk", flat=True)[:BATCH_SIZE]):
        # Each batch commits on its own.
        deleted += purge_bookings(booking_ids=pks)
    return deleted


def purge_expired_personal_data(*, now: datetime) -> int:
    """Delete bookings and check-ins older than each organisation's retention, once counted.

    Return how many bookings were deleted.
    """
    deleted = 0
    for organization in Organization.objects.order_by("pk").only("pk", "retention_days"):
        cutoff = now - timedelta(days=organization.retention_days)
        expired = Booking.objects.filter(organization_id=organization.pk, end__lt=cutoff)
        deleted += _count_then_delete(expired, organization.pk, now)
    if deleted:
        logger.info("retention deleted %s bookings", deleted)
    return deleted


def purge_ended_subscriptions(*, now: datetime) -> int:
    """Erase everyone of organisations whose subscription ended over 30 days ago.

    Their anonymous statistics stay. Return how many people were erased.
    """
    ended_before = now.date() - SUBSCRIPTION_GRACE
    erased = 0
    for organization in Organization.objects.filter(subscription_ends_on__lt=ended_before):
        # Everyone, facility managers and organisation admins included: the organisation
        # keeps no staff to look after data it no longer has. Each person in a transaction
        # of their own, so an interrupted run resumes with whoever is left.
        members = User.objects.filter(membership__organization=organization).order_by("pk")
        while batch := list(members[:BATCH_SIZE]):
            for user in batch:
                erase_person(user=user, now=now)
                erased += 1
        # Bookings of people who have since left for another organisation.
        _count_then_delete(
            Booking.objects.filter(organization_id=organization.pk), organization.pk, now
        )
    if erased:
        logger.info("erased %s people of ended subscriptions", erased)
    return erased


def _delete_in_batches(rows: QuerySet) -> int:
    """Delete `rows` a batch at a time, each batch committing on its own; return how many."""
    deleted = 0
    rows = rows.order_by("pk")
    while pks := list(rows.values_list("pk", flat=True)[:BATCH_SIZE]):
        with transaction.atomic():
            deleted += rows.model.objects.filter(pk__in=pks).delete()[0]
    return deleted


def purge_staff_accesses(*, now: datetime) -> int:
    """Delete staff accesses older than OFFICEBOOKING_STAFF_ACCESS_RETENTION_DAYS."""
    cutoff = now - timedelta(days=settings.OFFICEBOOKING_STAFF_ACCESS_RETENTION_DAYS)
    return _delete_in_batches(StaffAccess.objects.filter(accessed_at__lt=cutoff))


def purge_revoked_api_tokens(*, now: datetime) -> int:
    """Delete API tokens revoked longer than OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS ago."""
    cutoff = now - timedelta(days=settings.OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS)
    return _delete_in_batches(ApiToken.objects.filter(revoked_at__lt=cutoff))


def purge_revoked_calendar_feeds(*, now: datetime) -> int:
    """Delete calendar feeds revoked longer than OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS ago."""
    cutoff = now - timedelta(days=settings.OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS)
    return _delete_in_batches(CalendarFeed.objects.filter(revoked_at__lt=cutoff))


def purge_ended_user_sessions(*, now: datetime) -> int:
    """Delete the entries of the people's session lists whose session ended.

    Ended means logged out elsewhere than through the list, expired or cleared: its address
    and browser serve nobody once the session is over. Live means an unexpired row in the
    session table, which both session engines here (db, cached_db) write through.
    """
    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    return _delete_in_batches(UserSession.objects.exclude(session_key__in=live))


# Entries that retell where and when someone was booked.
BOOKING_AUDIT_ACTIONS = (AuditAction.BOOKING_CANCELLED, AuditAction.BOOKING_CHANGED)


def purge_expired_audit_entries(*, now: datetime) -> int:
    """Delete audit log entries older than OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS.

    An entry about a booking names its place and period: where the organisation keeps
    bookings for less time, it goes after that shorter time, so the log never keeps a
    person's presence longer than the bookings themselves are kept.
    """
    cutoff = now - timedelta(days=settings.OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS)
    deleted = _delete_in_batches(AuditEntry.objects.filter(created_at__lt=cutoff))
    for organization in Organization.objects.order_by("pk").only("pk", "retention_days"):
        bookings_cutoff = now - timedelta(days=organization.retention_days)
        if bookings_cutoff <= cutoff:
            continue
        about_bookings = AuditEntry.objects.filter(
            organization_id=organization.pk,
            action__in=BOOKING_AUDIT_ACTIONS,
            created_at__lt=bookings_cutoff,
        )
        deleted += _delete_in_batches(about_bookings)
    return deleted


# A sign-up is completed within a minute or two, by its task or the sweep; one still stored
# after this failed, and holds an address and a password hash for nobody.
STALE_SIGNUP_AGE = timedelta(days=1)


def purge_stale_signups(*, now: datetime) -> int:
    """Delete sign-ups that could not be completed within a day."""
    return _delete_in_batches(PendingSignup.objects.filter(created_at__lt=now - STALE_SIGNUP_AGE))


def purge_expired_records(*, now: datetime) -> int:
    """Delete staff accesses, audit log entries, revoked tokens and feeds, ended sessions'
    list entries and undeliverable contact questions past their retention; return how many
    rows went."""
    deleted = (
        purge_staff_accesses(now=now)
        + purge_expired_audit_entries(now=now)
        + purge_revoked_api_tokens(now=now)
        + purge_revoked_calendar_feeds(now=now)
        + purge_ended_user_sessions(now=now)
        + purge_stale_signups(now=now)
        + purge_undelivered_questions(now=now)
    )
    if deleted:
        logger.info("retention deleted %s other personal records", deleted)
    return deleted
