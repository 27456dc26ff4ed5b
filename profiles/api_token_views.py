"""The page where people make API tokens for the mobile app, and revoke them."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from profiles.decorators import member_required
from profiles.models import ApiToken
from profiles.services import create_api_token, revoke_api_token


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the new token"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("For example: my phone."),
    )


# never_cache: the page that shows a new key must not be kept in any cache or history copy.
@never_cache
@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Rendered, not redirected: the key exists only in this response and is never stored.
        _token, new_key = create_api_token(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = ApiToken.objects.live().filter(user=request.user)
    context = {"form": form, "tokens": tokens, "new_key": new_key}
    return render(request, "profiles/api_tokens.html", context)


@member_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    # Another person's token answers like a missing one; an already revoked one of the
    # person's own (a second click) just says it is gone.
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=token_id)
    revoke_api_token(user=request.user, token_id=token.pk)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("api_tokens")
