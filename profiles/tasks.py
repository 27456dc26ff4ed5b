from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from celery import shared_task
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import translation

from profiles.models import User
from profiles.services import SignupOutcome, sign_up


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
def complete_signup_task(*, email: str, password_hash: str, language: str, notify: bool) -> str:
    """Create the account a sign-up asked for, if it may exist, and send the one e-mail.

    New address on a client's domain: the account and the verification link. An address that
    has an account: allauth's "you already have an account" notice. An unknown domain: a note
    that the organisation does not use Officebooking. Each goes only to the address itself,
    so only its owner learns which case it was.
    """
    outcome, user = sign_up(email=email, password_hash=password_hash)
    if notify:
        request = SiteRequest()
        with translation.override(language), request_context(request):
            _send_signup_mail(request, outcome=outcome, email=email, user=user)
    return outcome


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
