from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from bookings import plan_html
from bookings.plan_html import STATE_GLYPHS, STATE_WORDS

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


@register.simple_tag
def state_word(state: str) -> str:
    return str(STATE_WORDS[state])


@register.simple_tag
def plan_markers(plan, query: str, radius: int) -> str:
    """Return the SVG of every resource on the plan (built in bookings/plan_html.py)."""
    return plan_html.plan_markers(plan, query=query, radius=int(radius))


@register.simple_tag
def free_list(free, query: str) -> str:
    """Return the list items of the free resources (built in bookings/plan_html.py)."""
    return plan_html.free_list(free, query=query)


@register.simple_tag
def state_glyph(state: str) -> str:
    """Return the symbol drawn in a resource of this state, so colour is never the only sign."""
    return STATE_GLYPHS[state]


@register.simple_tag
def local_range(search) -> str:
    """Return the searched day and times in the building's zone: "Fri 28 Mar, 09:00–17:00"."""
    tz = search.building.tz
    start = timezone.localtime(search.start, tz)
    end = timezone.localtime(search.end, tz)
    return f"{formats.date_format(start, 'D j M Y')}, {start:%H:%M}–{end:%H:%M}"


@register.filter
def duration(value) -> str:
    """Return a timedelta as "3 h 05 min"."""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.simple_tag
def local_time(moment, building) -> str:
    """Return a time of day in the building's time zone, whatever the server's."""
    return f"{timezone.localtime(moment, building.tz):%H:%M}"


@register.simple_tag
def local_datetime(moment, building) -> str:
    """Return a date and time in the building's time zone, in the active locale's format."""
    if moment is None:
        return "–"
    return formats.date_format(timezone.localtime(moment, building.tz), "DATETIME_FORMAT")
