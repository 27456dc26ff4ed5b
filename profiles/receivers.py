from allauth.account.signals import email_confirmed
from django.contrib.auth import login

from profiles.services import join_organization_by_verified_email

# The address this browser signed up (set by profiles.forms.CompanySignupForm).
SIGNUP_EMAIL_SESSION_KEY = "profiles_signup_email"


def _join_on_email_confirmed(request, email_address, **kwargs) -> None:
    join_organization_by_verified_email(user=email_address.user, email=email_address.email)


def _log_in_where_signed_up(request, email_address, **kwargs) -> None:
    """Log in a person who confirms their new address in the browser they signed up in.

    The account is made by a task after the sign-up request, so allauth has no pending login
    to resume. Whoever holds the confirmation link controls the mailbox, which could reset the
    password anyway; the session only says this browser asked for this address.
    """
    if request is None or request.user.is_authenticated or not email_address.user.is_active:
        return
    if request.session.get(SIGNUP_EMAIL_SESSION_KEY) != email_address.email:
        return
    del request.session[SIGNUP_EMAIL_SESSION_KEY]
    login(request, email_address.user)


def connect() -> None:
    email_confirmed.connect(_join_on_email_confirmed, dispatch_uid="profiles.join_on_confirm")
    email_confirmed.connect(_log_in_where_signed_up, dispatch_uid="profiles.log_in_on_confirm")
