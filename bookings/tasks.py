from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from bookings import services
from bookings.calendar import bookings_calendar
from bookings.models import HOLDING_STATUSES, Booking, BookingStatus
from bookings.policies import effective_policy
from locations.models import Closure
from locations.qr import checkin_url
from profiles.audit import role_label
from profiles.models import AuditEntry, User


@shared_task
def release_no_shows_task() -> int:
    return services.release_no_shows()


@shared_task
def send_check_in_reminders_task() -> int:
    return services.send_check_in_reminders()


@shared_task
def check_out_at_end_of_day_task() -> int:
    return services.check_out_at_end_of_day()


def _send_booking_mail(booking: Booking, template: str, **context) -> None:
    user = booking.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context.update(
            user=user,
            booking=booking,
            building=booking.resource.floor.building,
            checkin_url=checkin_url(booking.resource),
            bookings_url=settings.BASE_URL + reverse("my_bookings"),
        )
        subject = render_to_string(f"bookings/email/{template}_subject.txt", context)
        body = render_to_string(f"bookings/email/{template}_message.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def _booking_to_mail(booking_id: int, status: str) -> Booking | None:
    return (
        Booking.objects.filter(pk=booking_id, status=status, user__is_active=True)
        .select_related("user", "organization", "resource__floor__building")
        .first()
    )


@shared_task
def send_check_in_reminder(*, booking_id: int) -> int:
    """E-mail the person that check-in closes soon, unless they checked in or cancelled."""
    booking = _booking_to_mail(booking_id, BookingStatus.CONFIRMED)
    if booking is None:
        return 0
    policy = effective_policy(
        organization=booking.organization,
        building=booking.resource.floor.building,
        kind=booking.resource_kind,
    )
    _opens, closes = policy.check_in_window(booking.start, booking.end)
    _send_booking_mail(booking, "reminder", closes=closes)
    return 1


@shared_task
def send_release_notice(*, booking_id: int) -> int:
    """E-mail the person that their booking was released because nobody checked in."""
    booking = _booking_to_mail(booking_id, BookingStatus.RELEASED)
    if booking is None:
        return 0
    _send_booking_mail(booking, "released")
    return 1


@shared_task
def send_closure_notice(*, user_id: int, closure_id: int, booking_ids: list[int]) -> int:
    """E-mail a person which of their bookings a closure cancelled, in their language."""
    user = User.objects.filter(pk=user_id).first()
    closure = Closure.objects.filter(pk=closure_id).first()
    if user is None or closure is None:
        return 0
    bookings = list(
        Booking.objects.filter(pk__in=booking_ids, user=user)
        .select_related("resource__floor__building")
        .order_by("start")
    )
    if not bookings:
        return 0
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"user": user, "closure": closure, "bookings": bookings}
        subject = render_to_string("bookings/email/closure_subject.txt", context).strip()
        body = render_to_string("bookings/email/closure_message.txt", context)
    send_mail(subject, body, None, [user.email])
    return len(bookings)


@shared_task
def send_booking_confirmation(*, booking_ids: list[int]) -> int:
    """E-mail each person their new bookings with an .ics attachment; return e-mails sent.

    Bookings cancelled before this runs are left out. Running it twice sends the e-mail twice;
    the attachment's stable UIDs keep that from adding the events to a calendar twice.
    """
    bookings = (
        Booking.objects.filter(pk__in=booking_ids, status__in=HOLDING_STATUSES)
        .select_related("user", "resource__floor__building")
        .order_by("user_id", "start")
    )
    by_person: dict[int, list[Booking]] = {}
    for booking in bookings:
        by_person.setdefault(booking.user_id, []).append(booking)
    sent = 0
    for person_bookings in by_person.values():
        user = person_bookings[0].user
        if not user.is_active:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "bookings": person_bookings,
                "bookings_url": settings.BASE_URL + reverse("my_bookings"),
                "calendar_url": settings.BASE_URL + reverse("calendar_settings"),
            }
            subject = render_to_string("bookings/email/confirmation_subject.txt", context)
            body = render_to_string("bookings/email/confirmation_message.txt", context)
            ics = bookings_calendar(person_bookings, name="Officebooking")
        message = EmailMessage(" ".join(subject.split()), body, None, [user.email])
        # Django adds "; charset=utf-8" to text attachments itself.
        message.attach("booking.ics", ics, "text/calendar; method=PUBLISH")
        message.send()
        sent += 1
    return sent


@shared_task
def send_staff_change_notice(*, audit_entry_id: int) -> int:
    """E-mail a person, in their language, what someone of staff changed in their booking and
    why; return e-mails sent."""
    booking_type = ContentType.objects.get_for_model(Booking)
    entry = (
        AuditEntry.objects.filter(
            pk=audit_entry_id, content_type=booking_type, subject__is_active=True
        )
        .select_related("actor", "subject")
        .first()
    )
    if entry is None:
        return 0
    user = entry.subject
    booking = (
        Booking.objects.filter(pk=entry.object_id, user=user)
        .select_related("resource__floor__building")
        .first()
    )
    if booking is None:
        return 0
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "entry": entry,
            "booking": booking,
            "building": booking.resource.floor.building,
            "actor_role": role_label(entry.actor_role),
            "bookings_url": settings.BASE_URL + reverse("my_bookings"),
            "my_data_url": settings.BASE_URL + reverse("my_data"),
        }
        subject = render_to_string("bookings/email/staff_change_subject.txt", context)
        body = render_to_string("bookings/email/staff_change_message.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    return 1
