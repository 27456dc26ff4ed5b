from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from bookings import services
from bookings.models import Booking
from locations.models import Closure
from profiles.models import User


@shared_task
def release_no_shows_task() -> int:
    return services.release_no_shows()


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
