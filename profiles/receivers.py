from allauth.account.signals import email_confirmed
from allauth.usersessions.models import UserSession
from django.contrib.auth import login
from django.contrib.auth.signals import user_logged_in, user_logged_out

from profiles.middleware import note_login
from profiles.services import join_organization_by_verified_email

# The address this browser signed up (set by profiles.forms.CompanySignupForm).
SIGNUP_EMAIL_SESSION_KEY = "profiles_signup_email"


def _join_on_email_confirmed(request, email_address, **kwargs) -> None:
    join_organization_by_verified_email(user=email_address.user, email=email_address.email)


def _note_login(request, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        note_login(session=request.session)


def _forget_ended_session(request, **kwargs) -> None:
    # The session is about to be flushed: its row in the person's list of sessions goes now,
    # not when the nightly retention finds it ended.
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


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
    # Django's login, not allauth's: list the session now, so "log out everywhere else" and
    # erasure find it by its index from the start.
    UserSession.objects.create_from_request(request)


def connect() -> None:
    email_confirmed.connect(_join_on_email_confirmed, dispatch_uid="profiles.join_on_confirm")
    user_logged_in.connect(_note_login, dispatch_uid="profiles.note_login")
    user_logged_out.connect(_forget_ended_session, dispatch_uid="profiles.forget_ended_session")
    email_confirmed.connect(_log_in_where_signed_up, dispatch_uid="profiles.log_in_on_confirm")
