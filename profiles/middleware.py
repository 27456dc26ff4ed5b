from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

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
