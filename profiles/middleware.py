from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from profiles.selectors import must_set_up_two_factor


class TenantMiddleware:
    """Set `request.organization` to the logged-in person's organisation, or None."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        request.organization = user.organization if user.is_authenticated else None
        return self.get_response(request)


class UserLanguageMiddleware:
    """Use the person's chosen language; LocaleMiddleware already fell back to the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


# When the session last saw a request, as a POSIX timestamp.
LAST_ACTIVITY_KEY = "_officebooking_last_activity"
# Activity is written at most this often: saving the session on every request would be a
# database (and cache) write per page.
ACTIVITY_INTERVAL = timedelta(minutes=1)


def note_login(*, session) -> None:
    """Count logging in as activity: the first minute of requests then writes nothing."""
    session[LAST_ACTIVITY_KEY] = timezone.now().timestamp()


class SessionActivityMiddleware:
    """Log out a session idle for longer than OFFICEBOOKING_SESSION_IDLE_TIMEOUT minutes.

    Activity is noted at most once a minute, in the session and in the person's list of
    sessions (allauth's UserSession: when last seen, from which address and browser), so
    a timeout is exact to the minute. It runs after MessageMiddleware, to say why the person
    was logged out, and so after TenantMiddleware, whose work it undoes then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._note_activity(request)
        return self.get_response(request)

    def _note_activity(self, request: HttpRequest) -> None:
        now = timezone.now().timestamp()
        last_activity = request.session.get(LAST_ACTIVITY_KEY)
        timeout = settings.OFFICEBOOKING_SESSION_IDLE_TIMEOUT
        if timeout and last_activity is not None and now - last_activity > timeout * 60:
            logout(request)
            request.organization = None
            messages.info(
                request,
                ngettext(
                    "You were logged out after %(minutes)s minute without activity.",
                    "You were logged out after %(minutes)s minutes without activity.",
                    timeout,
                )
                % {"minutes": timeout},
            )
            return
        if last_activity is None or now - last_activity >= ACTIVITY_INTERVAL.total_seconds():
            request.session[LAST_ACTIVITY_KEY] = now
            # Also adds a session that is missing from the list, such as one from before it.
            UserSession.objects.create_from_request(request)


class StaffTwoFactorMiddleware:
    """Send staff who must use a second factor and have none to set one up, before any admin page.

    A middleware rather than a wrapper around admin views: it also covers admin pages that
    apps add with their own URLs under the admin's prefix.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and request.path.startswith(reverse("admin:index"))
            and request.path != reverse("admin:logout")
            and must_set_up_two_factor(user)
        ):
            messages.info(
                request,
                _("Set up two-factor authentication to open the admin."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
