"""Retention: personal data ends; the anonymous statistics counted from it stay.

Both jobs are safe to interrupt and to run twice: a day is counted (with its watermark) in
its own transaction before any of its bookings are deleted, and deleting goes in batches that
each commit on their own, so a rerun finds what is left and counts nothing again.
"""

import logging
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import transaction

from bookings.models import Booking, CheckIn
from privacy.erasure import erase_person
from privacy.statistics import aggregate_day, last_complete_day, uncounted_days
from profiles.models import AuditEntry, Organization, User

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
        with transaction.atomic():
            CheckIn.objects.filter(booking_id__in=pks).delete()
            deleted += Booking.objects.filter(pk__in=pks).delete()[1].get("bookings.Booking", 0)
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


def purge_expired_audit_entries(*, now: datetime) -> int:
    """Delete audit log entries older than OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS.

    In batches that each commit on their own, so a long log never holds one big lock and an
    interrupted run resumes where it stopped. Return how many entries went.
    """
    cutoff = now - timedelta(days=settings.OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS)
    expired = AuditEntry.objects.filter(created_at__lt=cutoff).order_by("pk")
    deleted = 0
    while pks := list(expired.values_list("pk", flat=True)[:BATCH_SIZE]):
        deleted += AuditEntry.objects.filter(pk__in=pks).delete()[0]
    if deleted:
        logger.info("retention deleted %s audit log entries", deleted)
    return deleted
