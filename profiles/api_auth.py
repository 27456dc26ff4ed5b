"""Authentication for the JSON API: a person's API token, sent as a bearer token."""

from django.http import HttpRequest
from django.utils import translation
from ninja.errors import Throttled
from ninja.security import HttpBearer

from officebooking.throttling import API_THROTTLES
from profiles.models import User
from profiles.selectors import user_for_api_key


class ApiTokenAuth(HttpBearer):
    """Let in the member whose live token is in `Authorization: Bearer <key>`."""

    def __call__(self, request: HttpRequest) -> User | None:
        # Throttle before the lookup: ninja's own throttles run only after authentication
        # succeeded, so guessing tokens (each one a 401) would never be slowed down.
        for throttle in API_THROTTLES:
            if not throttle.allow_request(request):
                raise Throttled(wait=throttle.wait())
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_api_key(token)
        if user is None:
            return None
        # The session middleware saw no login; the views expect what it would have set.
        request.user = user
        request.organization = user.organization
        # Messages are shown in the app, in the language the person chose here.
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return user
