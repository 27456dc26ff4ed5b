from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

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


STATE_WORDS = {
    "free": _("free"),
    "booked": _("booked"),
    "mine": _("booked by you"),
    "unavailable": _("not bookable"),
    "occupied": _("in use now"),
}


@register.simple_tag
def state_word(state: str) -> str:
    return str(STATE_WORDS[state])


@register.simple_tag
def resource_summary(item) -> str:
    """Return what the plan tells about a resource in words: code, state, amenities, booker."""
    resource = item.resource
    parts = [str(resource), str(STATE_WORDS[item.state])]
    if item.booker_name:
        parts[-1] = _("booked by %(name)s") % {"name": item.booker_name}
    if resource.zone:
        parts.append(resource.zone.name)
    if resource.capacity > 1:
        parts.append(_("%(count)d people") % {"count": resource.capacity})
    amenities = ", ".join(str(amenity) for amenity in resource.amenities.all())
    if amenities:
        parts.append(amenities)
    return " · ".join(parts)


STATE_GLYPHS = {"free": "+", "booked": "×", "mine": "✓", "unavailable": "–", "occupied": "●"}


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
