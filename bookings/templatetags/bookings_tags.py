from html import escape

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from locations.models import ResourceKind

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


class _Words:
    """The translated words a plan repeats for every resource, looked up once per render."""

    def __init__(self):
        self.kinds = {value: str(capfirst(label)) for value, label in ResourceKind.choices}
        self.states = {state: str(word) for state, word in STATE_WORDS.items()}
        self._amenities: dict[int, str] = {}

    def amenity(self, amenity) -> str:
        if amenity.pk not in self._amenities:
            self._amenities[amenity.pk] = str(amenity)
        return self._amenities[amenity.pk]

    def name(self, resource) -> str:
        return f"{self.kinds[resource.kind]} {resource.code}"

    def summary(self, item) -> str:
        resource = item.resource
        parts = [self.name(resource), self.states[item.state]]
        if item.booker_name:
            parts[-1] = _("booked by %(name)s") % {"name": item.booker_name}
        if resource.zone_name:
            parts.append(resource.zone_name)
        if resource.capacity > 1:
            parts.append(_("%(count)d people") % {"count": resource.capacity})
        if item.amenities:
            parts.append(", ".join(self.amenity(amenity) for amenity in item.amenities))
        return " · ".join(parts)


@register.simple_tag
def resource_summary(item) -> str:
    """Return what the plan tells about a resource in words: code, state, amenities, booker."""
    return _Words().summary(item)


@register.simple_tag
def plan_markers(plan, query: str, radius: int) -> str:
    """Return the SVG of every resource on the plan.

    Built in Python rather than in a template loop: a floor holds hundreds of resources, and
    the template engine spent most of the page's time on them.
    """
    words = _Words()
    my_bookings = reverse("my_bookings")
    markers = (_marker(item, query, int(radius), my_bookings, words) for item in plan)
    return mark_safe("".join(markers))  # noqa: S308 - _marker escapes every value


@register.simple_tag
def free_list(free, query: str) -> str:
    """Return the list items of the free resources, for the same reason as plan_markers."""
    words = _Words()
    book_label = escape(str(_("Book")))
    favourite = escape(str(_("Your favourite")))
    rows = []
    for item in free:
        resource = item.resource
        name = words.name(resource)
        url = escape(f"{reverse('book', args=[resource.pk])}?{query}")
        details = [resource.zone_name] if resource.zone_name else []
        if resource.capacity > 1:
            details.append(
                ngettext("%(count)d person", "%(count)d people", resource.capacity)
                % {"count": resource.capacity}
            )
        star = (
            f'<span class="favourite-glyph" title="{favourite}">★</span> '
            if item.is_favourite
            else ""
        )
        tags = "".join(
            f'<span class="tag">{escape(words.amenity(a))}</span>' for a in item.amenities
        )
        label = escape(_("Book %(resource)s") % {"resource": name})
        rows.append(
            f'<li class="resource-row"><div class="resource-info">'
            f'<span class="resource-name">{star}{escape(name)}</span>'
            f'<span class="muted">{escape(" · ".join(details))}</span>'
            f'<span class="amenity-tags">{tags}</span></div>'
            f'<a class="button" href="{url}" hx-get="{url}" hx-target="#dialog-body" '
            f'hx-push-url="false" data-resource="{resource.pk}" aria-label="{label}">'
            f"{book_label}</a></li>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


def _marker(item, query: str, radius: int, my_bookings: str, words: _Words) -> str:
    """Return one resource's SVG; plain f-strings with escape(), ten times faster than
    format_html for the hundreds of markers of a floor."""
    resource = item.resource
    summary = escape(words.summary(item))
    x, y, pk = resource.x, resource.y, resource.pk
    classes = f"resource state-{item.state} kind-{resource.kind}"
    common = f'data-resource="{pk}" data-summary="{summary}" aria-label="{summary}"'
    if item.is_bookable:
        url = escape(f"{reverse('book', args=[pk])}?{query}")
        opening = (
            f'<a href="{url}" hx-get="{url}" hx-target="#dialog-body" hx-push-url="false" '
            f'class="{classes}" {common}>'
        )
        closing = "</a>"
    elif item.state == "mine":
        opening = f'<a href="{escape(my_bookings)}" class="{classes}" {common}>'
        closing = "</a>"
    else:
        if not item.matches:
            classes += " filtered-out"
        tabindex = 0 if item.matches else -1
        opening = f'<g class="{classes}" tabindex="{tabindex}" role="img" {common}>'
        closing = "</g>"
    if resource.kind == ResourceKind.MEETING_ROOM:
        shape = (
            f'<rect class="marker" x="{x - 24}" y="{y - 16}" width="48" height="32" rx="6"></rect>'
        )
    elif resource.kind == ResourceKind.PARKING_SPOT:
        shape = (
            f'<rect class="marker" x="{x - 14}" y="{y - 14}" width="28" height="28" rx="4"></rect>'
        )
    else:
        shape = f'<circle class="marker" cx="{x}" cy="{y}" r="{radius}"></circle>'
    glyph = (
        f'<text class="glyph" x="{x}" y="{y}" aria-hidden="true">{STATE_GLYPHS[item.state]}</text>'
    )
    star = ""
    if item.is_favourite:
        star = (
            f'<text class="favourite-glyph" x="{x + radius}" y="{y - 10}" '
            f'aria-hidden="true">★</text>'
        )
    return f"{opening}<title>{summary}</title>{shape}{glyph}{star}{closing}"


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


@register.simple_tag
def local_datetime(moment, building) -> str:
    """Return a date and time in the building's time zone, in the active locale's format."""
    if moment is None:
        return "–"
    return formats.date_format(timezone.localtime(moment, building.tz), "DATETIME_FORMAT")
