from allauth.account import app_settings as account_settings
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy.erasure import erase_person

_SUMMARY_KEY = "privacy_account_deleted"


def _company_sign_in_url(request: HttpRequest) -> str | None:
    """Return where a person without a password signs in again, if they must.

    allauth's reauthentication asks for a password (or a second factor); someone who only
    signs in through the company passes it unasked, so we ask for a recent company sign-in.
    """
    user = request.user
    if user.has_usable_password():
        return None
    records = get_authentication_records(request, user)
    latest = max((record.get("at", 0) for record in records), default=0)
    if timezone.now().timestamp() - latest < account_settings.REAUTHENTICATION_TIMEOUT:
        return None
    account = user.socialaccount_set.first()
    if account is None:
        return None
    return account.get_provider(request).get_login_url(request, process="login", next=request.path)


@require_http_methods(["GET", "POST"])
@login_required
@reauthentication_required(allow_get=True)
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    sign_in_again = _company_sign_in_url(request)
    error = ""
    if request.method == "POST" and sign_in_again is None:
        typed = request.POST.get("confirmation", "").strip().lower()
        if typed == user.email.lower():
            summary = erase_person(user=user)
            logout(request)
            # The new, anonymous session carries the counts to the page that says goodbye.
            request.session[_SUMMARY_KEY] = {
                "bookings": summary.bookings_counted,
                "check_ins": summary.check_ins_counted,
                "cancelled": summary.future_bookings_cancelled,
            }
            return redirect("account_deleted")
        error = _("Type your e-mail address exactly as shown to confirm.")
    elif request.method == "POST":
        messages.error(request, _("Sign in with your company account again first."))
    return render(
        request,
        "privacy/delete_account.html",
        {"error": error, "sign_in_again": sign_in_again},
        status=400 if error else 200,
    )


@require_http_methods(["GET"])
def account_deleted(request: HttpRequest) -> HttpResponse:
    summary = request.session.pop(_SUMMARY_KEY, None)
    if summary is None or request.user.is_authenticated:
        return redirect("account_login")
    return render(request, "privacy/account_deleted.html", {"summary": summary})
