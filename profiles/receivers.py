from allauth.account.signals import email_confirmed
from allauth.usersessions.models import UserSession
from django.contrib.auth.signals import user_logged_in, user_logged_out

from profiles.middleware import note_login
from profiles.services import join_organization_by_verified_email


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


def connect() -> None:
    email_confirmed.connect(_join_on_email_confirmed, dispatch_uid="profiles.join_on_confirm")
    user_logged_in.connect(_note_login, dispatch_uid="profiles.note_login")
    user_logged_out.connect(_forget_ended_session, dispatch_uid="profiles.forget_ended_session")
