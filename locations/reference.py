from django.apps import apps as global_apps
from django.utils.translation import gettext_noop

# The amenities every installation offers; facility managers tick them per resource.
AMENITIES = {
    "monitor": gettext_noop("Monitor"),
    "dual-monitor": gettext_noop("Two monitors"),
    "docking-station": gettext_noop("Docking station"),
    "standing-desk": gettext_noop("Standing desk"),
    "window": gettext_noop("By a window"),
    "quiet": gettext_noop("Quiet area"),
    "video-conferencing": gettext_noop("Video conferencing"),
    "whiteboard": gettext_noop("Whiteboard"),
    "ev-charger": gettext_noop("EV charger"),
    "accessible": gettext_noop("Wheelchair accessible"),
}


def create_amenities(sender=None, apps=global_apps, using="default", **kwargs) -> None:
    Amenity = apps.get_model("locations", "Amenity")
    for slug, name in AMENITIES.items():
        Amenity.objects.using(using).get_or_create(slug=slug, defaults={"name": name})
