from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def member_required(view):
    """Let in logged-in members of an organisation; others see why they can't book yet."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.organization is None:
            return render(request, "profiles/no_organization.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
