"""The floor plan and the free-places list are HTML built in Python (bookings/plan_html.py).

Hostile text goes into every field that reaches them, and what the browser would parse
(html5lib, the HTML5 parsing algorithm, SVG included) must hold that text as text only.
"""

from datetime import datetime, time, timedelta

import html5lib
import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import plan_html
from locations.models import Amenity
from tests.factories import (
    BookingFactory,
    ClosureFactory,
    ResourceFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

CODE = "\"'><script>c</script>"
RESOURCE_NAME = "<img src=x onerror=alert(1)>"
ZONE = "</svg><img src=x onerror=alert(2)>&amp;"
AMENITY = "javascript:alert(3)//<b>\"'&</b>"
FLOOR = "</title><script>alert(4)</script>"
BUILDING = "<style>*{}</style>\"'&<"
BOOKER = '<a href="javascript:alert(5)" onclick="alert(6)">Eve</a>'

# What the find page's results may contain, and nothing else.
ALLOWED_TAGS = {
    "a", "button", "circle", "details", "div", "fieldset", "figcaption", "figure", "form", "g",
    "h2", "image", "input", "label", "legend", "li", "option", "p", "rect", "section", "select",
    "span", "summary", "svg", "text", "title", "ul",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "hx-get", "hx-post", "xlink:href"}


@pytest.fixture
def day(building):
    return timezone.localdate(timezone=building.tz) + timedelta(days=3)


@pytest.fixture
def hostile_floor(organization, employee, colleague, building, floor, day):
    """A floor whose every name is hostile: a free, a booked, an own and a closed desk."""
    organization.names_on_plans = True
    organization.save()
    colleague.profile.name_on_plans = True
    colleague.profile.save()
    colleague.full_name = BOOKER
    colleague.save()
    building.name = BUILDING
    building.save()
    floor.name = FLOOR
    floor.save()
    zone = ZoneFactory(floor=floor, name=ZONE)
    amenity = Amenity.objects.create(slug="hostile", name=AMENITY)
    desks = [
        ResourceFactory(floor=floor, zone=zone, code=f"{CODE}{n}", name=RESOURCE_NAME)
        for n in range(4)
    ]
    for desk in desks:
        desk.amenities.add(amenity)
    start = datetime.combine(day, time(9), tzinfo=building.tz)
    end = datetime.combine(day, time(17), tzinfo=building.tz)
    BookingFactory(resource=desks[1], user=colleague, start=start, end=end)
    BookingFactory(resource=desks[2], user=employee, start=start, end=end)
    ClosureFactory(resource=desks[3], start=start - timedelta(hours=1), end=end)
    return floor


def find_results(client, user, floor, day):
    """Return the find page's results as htmx asks for them, and the response."""
    client.force_login(user)
    url = (
        f"{reverse('find')}?building={floor.building_id}&floor={floor.pk}"
        f"&date={day.isoformat()}&start=09:00&end=17:00"
    )
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response


def parse(markup: str):
    """Return the elements of an HTML fragment as a browser parses it, namespaces dropped."""
    tree = html5lib.parseFragment(markup, treebuilder="etree", namespaceHTMLElements=False)
    elements = list(tree.iter())[1:]  # the fragment's own wrapper first
    for element in elements:
        element.tag = element.tag.rpartition("}")[2]
        for name in list(element.attrib):
            if name.startswith("{"):
                local = name.rpartition("}")[2]
                element.attrib[f"xlink:{local}" if "xlink" in name else local] = element.attrib.pop(
                    name
                )
    return elements


def test_hostile_names_add_no_element_to_the_results(client, employee, hostile_floor, day):
    elements = parse(find_results(client, employee, hostile_floor, day).content.decode())
    assert {element.tag for element in elements} <= ALLOWED_TAGS


def test_hostile_names_add_no_event_handler_or_script_url(client, employee, hostile_floor, day):
    elements = parse(find_results(client, employee, hostile_floor, day).content.decode())
    attributes = [(name, value) for element in elements for name, value in element.attrib.items()]
    assert not [name for name, _ in attributes if name.lower().startswith(("on", "hx-on"))]
    assert not [name for name, _ in attributes if name == "style"]
    urls = [value.strip().lower() for name, value in attributes if name in URL_ATTRIBUTES]
    assert urls
    assert all(url.startswith(("/", "#", "?")) for url in urls)


def test_each_plan_marker_tells_its_hostile_names_as_text(client, employee, hostile_floor, day):
    elements = parse(find_results(client, employee, hostile_floor, day).content.decode())
    markers = {
        element.get("data-resource"): element
        for element in elements
        if "resource" in element.get("class", "").split()
    }
    summaries = {pk: marker.get("data-summary") for pk, marker in markers.items()}
    assert len(summaries) == 4
    for pk, marker in markers.items():
        assert marker.get("aria-label") == summaries[pk]
        assert marker.find("title").text == summaries[pk]
        assert ZONE in summaries[pk] and AMENITY in summaries[pk]
        assert f"Desk {CODE}" in summaries[pk]
    assert [summary for summary in summaries.values() if f"booked by {BOOKER}" in summary]


def test_the_free_list_tells_its_hostile_names_as_text(client, employee, hostile_floor, day):
    elements = parse(find_results(client, employee, hostile_floor, day).content.decode())
    rows = [element for element in elements if element.get("class") == "resource-row"]
    assert len(rows) == 1
    texts = ["".join(span.itertext()) for span in rows[0].iter("span")]
    assert f"Desk {CODE}0" in texts
    assert ZONE in texts
    assert AMENITY in texts
    assert rows[0].find("a").get("aria-label") == f"Book Desk {CODE}0"


def test_the_filters_and_heading_tell_hostile_names_as_text(client, employee, hostile_floor, day):
    elements = parse(find_results(client, employee, hostile_floor, day).content.decode())
    options = {element.text for element in elements if element.tag == "option"}
    assert {FLOOR, BUILDING} <= options
    labels = ["".join(element.itertext()).strip() for element in elements if element.tag == "label"]
    assert AMENITY in labels
    headings = [element.text for element in elements if element.tag == "h2"]
    assert f"{BUILDING} · {FLOOR}" in headings


def test_the_free_marker_and_its_row_link_to_booking_that_desk(
    client, employee, hostile_floor, day
):
    elements = parse(find_results(client, employee, hostile_floor, day).content.decode())
    free_desk = hostile_floor.resources.get(code=f"{CODE}0")
    period = f"date={day.isoformat()}&start=09:00&end=17:00"
    expected = f"{reverse('book', args=[free_desk.pk])}?{period}"
    links = [element for element in elements if element.get("hx-target") == "#dialog-body"]
    assert [(link.tag, link.get("href"), link.get("hx-get")) for link in links] == [
        ("a", expected, expected),
        ("a", expected, expected),
    ]
    assert {link.get("data-resource") for link in links} == {str(free_desk.pk)}


def test_the_results_with_hostile_names_keep_the_strict_csp(client, employee, hostile_floor, day):
    policy = find_results(client, employee, hostile_floor, day)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"


def test_the_one_escaping_helper_escapes_every_html_character():
    assert plan_html.esc("<a href=\"x\" title='y'>&</a>") == (
        "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;&lt;/a&gt;"
    )
