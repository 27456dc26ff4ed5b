from django.http import HttpRequest, HttpResponse
from django.utils import translation


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
