from datetime import timedelta
from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from celery import shared_task
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone, translation

from profiles.models import PendingSignup, User
from profiles.services import SignupOutcome, complete_pending_signup


class SiteRequest(HttpRequest):
    """A request for the site's own address, for allauth's e-mails built outside a request.

    allauth takes the links and the site name in its e-mails from the request; a task has
    none, and the address must be BASE_URL anyway, never a visitor's Host header.
    """

    def __init__(self):
        super().__init__()
        address = urlsplit(settings.BASE_URL)
        self._site_scheme, self._site_host = address.scheme, address.netloc
        self.path = self.path_info = "/"
        self.method = "GET"
        self.user = AnonymousUser()

    def _get_scheme(self) -> str:
        return self._site_scheme

    def get_host(self) -> str:
        return self._site_host


@shared_task
def complete_signup_task(*, pending_id: int) -> str:
    """Create the account a sign-up asked for, if it may exist, and send the one e-mail.

    New address on a client's domain: the account and the verification link. An address that
    has an account: allauth's "you already have an account" notice. An unknown domain: a note
    that the organisation does not use Officebooking. Each goes only to the address itself,
    so only its owner learns which case it was.
    """
    completed = complete_pending_signup(pending_id=pending_id)
    if completed is None:
        return "done already"
    pending, outcome, user = completed
    # After the commit: the account exists before a link to confirm it goes out.
    if pending.notify:
        request = SiteRequest()
        with translation.override(pending.language), request_context(request):
            _send_signup_mail(request, outcome=outcome, email=pending.email, user=user)
    return outcome


# A sign-up's own task normally runs within seconds; older ones lost theirs (broker down).
SIGNUP_SWEEP_AFTER = timedelta(minutes=2)
SWEEP_BATCH_SIZE = 500


@shared_task
def complete_pending_signups_task() -> int:
    """Complete the sign-ups whose task never ran; return how many were found."""
    waiting = PendingSignup.objects.filter(created_at__lt=timezone.now() - SIGNUP_SWEEP_AFTER)
    pending_ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH_SIZE])
    for pending_id in pending_ids:
        complete_signup_task(pending_id=pending_id)
    return len(pending_ids)


def _send_signup_mail(
    request: HttpRequest, *, outcome: SignupOutcome, email: str, user: User | None
) -> None:
    adapter = get_adapter(request)
    if outcome == SignupOutcome.CREATED:
        EmailAddress.objects.get_primary(user).send_confirmation(request, signup=True)
    elif outcome == SignupOutcome.ACCOUNT_EXISTS:
        adapter.send_account_already_exists_mail(email)
    else:
        adapter.send_mail("account/email/unknown_organization", email, {"email": email})
