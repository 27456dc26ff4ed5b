from allauth.account.decorators import reauthentication_required
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy.erasure import erase_person

_SUMMARY_KEY = "privacy_account_deleted"


@require_http_methods(["GET", "POST"])
@login_required
# allauth asks for the password, or for people who sign in through their company (no
# password), for a code sent to their verified address.
@reauthentication_required(allow_get=True)
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    error = ""
    if request.method == "POST":
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
    return render(
        request, "privacy/delete_account.html", {"error": error}, status=400 if error else 200
    )


@require_http_methods(["GET"])
def account_deleted(request: HttpRequest) -> HttpResponse:
    summary = request.session.pop(_SUMMARY_KEY, None)
    if summary is None or request.user.is_authenticated:
        return redirect("account_login")
    return render(request, "privacy/account_deleted.html", {"summary": summary})
