"""The person's own profile, their privacy switches, their sessions, and colleague search."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from officebooking.http import render_page_or_fragment
from profiles.decorators import member_required
from profiles.forms import PrivacySettingsForm, ProfileForm, SearchForm
from profiles.models import Profile
from profiles.selectors import COLLEAGUE_SEARCH_LIMIT, search_colleagues
from profiles.services import (
    ProfileError,
    end_other_session,
    end_sessions_elsewhere,
    update_privacy_settings,
    update_profile,
)
from profiles.visibility import organization_allows


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    is_post = request.method == "POST"
    form = ProfileForm(
        request.POST if is_post else None, request.FILES if is_post else None, user=request.user
    )
    if is_post and form.is_valid():
        data = form.cleaned_data
        try:
            update_profile(
                user=request.user,
                full_name=data["full_name"],
                language=data["language"],
                default_building=data["default_building"],
                phone=data.get("phone"),
                postal_code=data.get("postal_code"),
                place_of_residence=data.get("place_of_residence"),
                picture=data.get("picture"),
                remove_picture=data.get("remove_picture", False),
            )
        except ProfileError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("profile_edit")
    return render(request, "profiles/profile_edit.html", {"form": form})


@member_required
@cache_control(private=True, no_cache=True)
def own_picture(request: HttpRequest) -> FileResponse:
    """Serve the person's own picture, to them only: media files are never public."""
    profile = Profile.objects.filter(user=request.user).first()
    if profile is None or not profile.picture:
        raise Http404
    try:
        return FileResponse(profile.picture.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        # Lost from storage (a restore without media, a volume not mounted): missing is a 404.
        raise Http404 from None


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def privacy_settings(request: HttpRequest) -> HttpResponse:
    form = PrivacySettingsForm(
        request.POST if request.method == "POST" else None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        update_privacy_settings(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your privacy settings are saved."))
        return redirect("privacy_settings")
    allowed = organization_allows(request.organization)
    switches = [(form[name], allowed[name]) for name in form.fields]
    context = {"form": form, "switches": switches, "organization": request.organization}
    return render(request, "profiles/privacy_settings.html", context)


@member_required
@require_GET
def colleague_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    hits = search_colleagues(viewer=request.user, query=query) if query else []
    context = {
        "form": form,
        "query": query,
        "hits": hits,
        "limit": COLLEAGUE_SEARCH_LIMIT,
        "search_enabled": request.organization.colleague_search_enabled,
    }
    return render_page_or_fragment(
        request,
        "profiles/colleague_search.html",
        "profiles/partials/colleague_results.html",
        context,
    )


@login_required
@require_POST
def end_session(request: HttpRequest, session_id: int) -> HttpResponse:
    ended = end_other_session(
        user=request.user, session_key_now=request.session.session_key, session_id=session_id
    )
    if not ended:
        raise Http404
    messages.success(request, _("That session is logged out."))
    return redirect("usersessions_list")


@login_required
@require_POST
def end_sessions_elsewhere_view(request: HttpRequest) -> HttpResponse:
    end_sessions_elsewhere(user=request.user, session_key_now=request.session.session_key)
    messages.success(request, _("You are logged out everywhere else."))
    return redirect("usersessions_list")
