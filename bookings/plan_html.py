"""The find page's floor-plan markers and free-places list, built as HTML in Python.

Why Python and not a template loop: a floor holds hundreds of resources, and Django's template
engine spent most of the page's time on them (154 ms for 300 desks, against about 4 ms here;
see docs/benchmarks.md, "Floor plan"). format_html() costs the same again for every value, so
the markup is written as f-strings instead, under one rule that keeps them safe to change:

- every value that is not a literal of this module passes through `esc()`, once, before it is
  put into the markup (names, codes, zones, amenities, the booker's name, URLs);
- numbers are made `int` first (coordinates, primary keys, the radius);
- the markup carries no inline script, style or event handler, and every URL is one of ours
  (`reverse()` plus the period's query), so the strict CSP holds.

tests/bookings/test_plan_html.py feeds hostile text into every field that reaches this markup
and parses what comes out. The find page's filter widgets (bookings/widgets.py) use `esc()` too.
"""

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from locations.models import ResourceKind

STATE_WORDS = {
    "free": _("free"),
    "booked": _("booked"),
    "mine": _("booked by you"),
    "unavailable": _("not bookable"),
    "occupied": _("in use now"),
}

STATE_GLYPHS = {"free": "+", "booked": "×", "mine": "✓", "unavailable": "–", "occupied": "●"}


def esc(value) -> str:
    """Return `value` as text escaped for HTML content and quoted attributes: & < > " '.

    The one escaping helper of this module and of the filter widgets: Django's own
    conditional_escape (a value already marked safe is kept as it is).
    """
    return conditional_escape(value)


class _Words:
    """The translated words a plan repeats for every resource, looked up once per render."""

    def __init__(self):
        self.kinds = {value: str(capfirst(label)) for value, label in ResourceKind.choices}
        self.states = {state: str(word) for state, word in STATE_WORDS.items()}
        self._amenities: dict[int, str] = {}
        self._classes: dict[tuple[str, str], str] = {}

    def classes(self, state: str, kind: str) -> str:
        """Return a marker's escaped class names, worked out once per state and kind."""
        if (state, kind) not in self._classes:
            self._classes[state, kind] = f"resource state-{esc(state)} kind-{esc(kind)}"
        return self._classes[state, kind]

    def amenity(self, amenity) -> str:
        if amenity.pk not in self._amenities:
            self._amenities[amenity.pk] = str(amenity)
        return self._amenities[amenity.pk]

    def name(self, resource) -> str:
        return f"{self.kinds[resource.kind]} {resource.code}"

    def summary(self, item) -> str:
        """Return what the plan tells about a resource in words (plain text, not escaped)."""
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


class _BookUrl:
    """The booking dialog's address of a resource, escaped, with the period's query.

    reverse() runs once per render rather than once per resource (it cost more than the rest of
    a marker): the address is reversed for a stand-in key, which is then swapped for each key.
    """

    STAND_IN = 987654321

    def __init__(self, query: str):
        head, stand_in, tail = reverse("book", args=[self.STAND_IN]).partition(str(self.STAND_IN))
        if not stand_in:
            raise ValueError("The booking address must hold the resource's key.")
        self.head, self.tail = esc(head), f"{esc(tail)}?{esc(query)}"

    def __call__(self, pk: int) -> str:
        return f"{self.head}{int(pk)}{self.tail}"


def plan_markers(plan, *, query: str, radius: int) -> SafeString:
    """Return the SVG of every resource on the plan."""
    words = _Words()
    my_bookings = esc(reverse("my_bookings"))
    book_url = _BookUrl(query)
    markers = (_marker(item, book_url, int(radius), my_bookings, words) for item in plan)
    return mark_safe("".join(markers))  # noqa: S308 - _marker escapes every value with esc()


def free_list(free, *, query: str) -> SafeString:
    """Return the list items of the free resources."""
    words = _Words()
    book_label = esc(_("Book"))
    favourite = esc(_("Your favourite"))
    book_url = _BookUrl(query)
    rows = []
    for item in free:
        resource = item.resource
        pk = int(resource.pk)
        name = words.name(resource)
        url = book_url(pk)
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
        tags = "".join(f'<span class="tag">{esc(words.amenity(a))}</span>' for a in item.amenities)
        label = esc(_("Book %(resource)s") % {"resource": name})
        rows.append(
            f'<li class="resource-row"><div class="resource-info">'
            f'<span class="resource-name">{star}{esc(name)}</span>'
            f'<span class="muted">{esc(" · ".join(details))}</span>'
            f'<span class="amenity-tags">{tags}</span></div>'
            f'<a class="button" href="{url}" hx-get="{url}" hx-target="#dialog-body" '
            f'hx-push-url="false" data-resource="{pk}" aria-label="{label}">'
            f"{book_label}</a></li>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped with esc()


def _marker(item, book_url: _BookUrl, radius: int, my_bookings: str, words: _Words) -> str:
    """Return one resource's SVG; `my_bookings` comes escaped."""
    resource = item.resource
    summary = esc(words.summary(item))
    x, y, pk = int(resource.x), int(resource.y), int(resource.pk)
    state = item.state
    classes = words.classes(state, resource.kind)
    common = f'data-resource="{pk}" data-summary="{summary}" aria-label="{summary}"'
    if item.is_bookable:
        url = book_url(pk)
        opening = (
            f'<a href="{url}" hx-get="{url}" hx-target="#dialog-body" hx-push-url="false" '
            f'class="{classes}" {common}>'
        )
        closing = "</a>"
    elif state == "mine":
        opening = f'<a href="{my_bookings}" class="{classes}" {common}>'
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
    glyph = f'<text class="glyph" x="{x}" y="{y}" aria-hidden="true">{STATE_GLYPHS[state]}</text>'
    star = ""
    if item.is_favourite:
        star = (
            f'<text class="favourite-glyph" x="{x + radius}" y="{y - 10}" '
            f'aria-hidden="true">★</text>'
        )
    return f"{opening}<title>{summary}</title>{shape}{glyph}{star}{closing}"
