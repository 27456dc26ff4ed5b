from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control

from locations.models import Floor


def _get_floor_for_user(request: HttpRequest, floor_id: int) -> Floor:
    if request.user.is_superuser:
        return get_object_or_404(Floor, pk=floor_id)
    return get_object_or_404(Floor.objects.for_organization(request.organization), pk=floor_id)


@login_required
@cache_control(private=True, max_age=3600)
def floor_plan_image(request: HttpRequest, floor_id: int) -> FileResponse:
    """Serve a floor plan to people of its organisation only: plans show a building's layout."""
    floor = _get_floor_for_user(request, floor_id)
    if not floor.plan_image:
        raise Http404
    try:
        return FileResponse(floor.plan_image.open("rb"))
    except FileNotFoundError:
        # Lost from storage (a restore without media, a volume not mounted): missing is a 404.
        raise Http404 from None
