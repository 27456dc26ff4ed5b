from django import template
from django.utils import formats, timezone

register = template.Library()


@register.simple_tag
def local_period(booking) -> str:
    """Return "Mon 3 Mar 2025, 09:00–17:00" in the building's time zone and active locale."""
    tz = booking.resource.floor.building.tz
    start = timezone.localtime(booking.start, tz)
    end = timezone.localtime(booking.end, tz)
    day = formats.date_format(start, "D j M Y")
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M}"
    return f"{day}, {start:%H:%M} – {formats.date_format(end, 'D j M Y')}, {end:%H:%M}"
