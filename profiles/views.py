from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from profiles.models import Language
from profiles.services import set_language as remember_language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language; a logged-in person's choice is kept on their account.

    Their saved language wins over the cookie, so only changing the cookie would do nothing.
    """
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in Language.values:
        remember_language(user=request.user, language=language)
    return response
