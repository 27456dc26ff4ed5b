"""Check-in QR codes: they decode to the landing page, print on A4 and die with a rotated token."""

import base64
import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from pyzbar.pyzbar import ZBarSymbol, decode

from bookings.models import BookingStatus
from locations.models import Resource, ResourceKind
from locations.qr import checkin_url, qr_png, qr_svg
from locations.services import rotate_checkin_token
from tests.factories import BookingFactory, FloorFactory, ResourceFactory

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"
# qrcode's path draws each dark module as "Mx,yHx2Vy2Hxz".
MODULE = re.compile(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z")


def decode_png(data: bytes) -> list[str]:
    symbols = decode(Image.open(io.BytesIO(data)), symbols=[ZBarSymbol.QRCODE])
    return [symbol.data.decode() for symbol in symbols]


def parse_svg(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)


def rasterize_svg(svg: str, pixels_per_module: int = 8) -> bytes:
    """Draw the SVG's module path onto a white PNG, so the decoder reads what a printer would."""
    root = parse_svg(svg)
    size = int(root.get("viewBox").split()[2])
    image = Image.new("L", (size * pixels_per_module,) * 2, 255)
    draw = ImageDraw.Draw(image)
    path = root.find(f"{SVG_NS}path").get("d")
    for x, y, x2, y2 in MODULE.findall(path):
        box = [int(v) * pixels_per_module for v in (x, y, x2, y2)]
        draw.rectangle([box[0], box[1], box[2] - 1, box[3] - 1], fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def decode_svg(svg: str) -> list[str]:
    return decode_png(rasterize_svg(svg))


def sheet_images(html: str) -> list[str]:
    """Return the SVG documents embedded in the sheet as data: URIs."""
    uris = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    return [base64.b64decode(uri).decode() for uri in uris]


@pytest.fixture
def fm_client(client, facility_manager):
    client.force_login(facility_manager)
    return client


def print_resources(client, resources):
    return client.post(
        reverse("admin:locations_resource_changelist"),
        {"action": "print_qr_codes", "_selected_action": [r.pk for r in resources]},
    )


# The code itself


def test_the_checkin_url_is_absolute_and_built_from_the_token(settings, desk):
    settings.BASE_URL = "https://book.acme.example"
    url = checkin_url(desk)
    assert url == f"https://book.acme.example/c/{desk.checkin_token}/"
    assert resolve(urlsplit(url).path).url_name == "checkin"


def test_the_png_decodes_to_the_checkin_url(desk):
    assert decode_png(qr_png(checkin_url(desk))) == [checkin_url(desk)]


def test_a_small_png_still_decodes(desk):
    assert decode_png(qr_png(checkin_url(desk), box_size=3)) == [checkin_url(desk)]


def test_the_svg_decodes_to_the_checkin_url(desk):
    assert decode_svg(qr_svg(checkin_url(desk))) == [checkin_url(desk)]


def test_the_svg_is_scalable_classed_and_embeddable(desk):
    svg = qr_svg(checkin_url(desk))
    assert svg.startswith("<svg")  # no XML declaration: it embeds as it is
    root = parse_svg(svg)
    assert root.get("viewBox")
    assert root.get("class") == "qr-code"
    assert root.find(f"{SVG_NS}path").get("class") == "qr-modules"
    assert "style" not in svg


def test_the_svg_and_png_hold_the_same_modules(desk):
    url = checkin_url(desk)
    svg_size = int(parse_svg(qr_svg(url)).get("viewBox").split()[2])
    png_size = Image.open(io.BytesIO(qr_png(url, box_size=1))).size[0]
    assert svg_size == png_size


# Rotation


def test_rotating_the_token_changes_the_code_and_kills_the_old_one(desk):
    old_url = checkin_url(desk)
    rotate_checkin_token(resource=desk)
    new_url = checkin_url(desk)
    assert new_url != old_url
    assert decode_png(qr_png(new_url)) == [new_url]
    old_token = resolve(urlsplit(old_url).path).kwargs["token"]
    assert not Resource.objects.filter(checkin_token=old_token).exists()


def test_the_old_code_no_longer_opens_the_checkin_page(client, employee, desk):
    old_path = urlsplit(checkin_url(desk)).path
    rotate_checkin_token(resource=desk)
    client.force_login(employee)
    assert client.get(old_path).status_code == 404


# The scanned code checks in


def test_the_decoded_url_checks_in_during_the_booking_window(client, employee, desk):
    now = timezone.now()
    booking = BookingFactory(
        resource=desk, user=employee, start=now - timedelta(minutes=5), end=now + timedelta(hours=4)
    )
    [scanned] = decode_png(qr_png(checkin_url(desk)))
    token = resolve(urlsplit(scanned).path).kwargs["token"]
    client.force_login(employee)

    landing = client.get(urlsplit(scanned).path)
    assert landing.status_code == 200
    assert reverse("checkin_check_in", args=[token]) in landing.content.decode()

    client.post(reverse("checkin_check_in", args=[token]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN


# The printed sheet


def test_the_printed_sheet_has_a_label_per_resource_whose_code_decodes(fm_client, desk, other_desk):
    response = print_resources(fm_client, [desk, other_desk])
    assert response.status_code == 200
    html = response.content.decode()
    decoded = sorted(url for svg in sheet_images(html) for url in decode_svg(svg))
    assert decoded == sorted([checkin_url(desk), checkin_url(other_desk)])
    assert "A.01" in html and "A.02" in html
    assert "Amsterdam HQ · Ground floor" in html
    assert "Scan to check in" in html


def test_the_sheet_is_printable_without_inline_script_or_style(fm_client, desk):
    html = print_resources(fm_client, [desk]).content.decode()
    assert 'href="/static/css/print-qr.css"' in html
    assert '<script src="/static/js/print.js" defer></script>' in html
    assert "data-print" in html
    assert "<script>" not in html
    assert "style=" not in html
    assert " onclick" not in html


def test_the_sheet_links_each_code_for_download(fm_client, desk):
    html = print_resources(fm_client, [desk]).content.decode()
    assert reverse("admin:locations_resource_qr_svg", args=[desk.pk]) in html
    assert reverse("admin:locations_resource_qr_png", args=[desk.pk]) in html


def test_a_sheet_starts_a_new_page_after_twelve_labels(fm_client, floor):
    resources = [ResourceFactory(floor=floor) for _ in range(13)]
    html = print_resources(fm_client, resources).content.decode()
    assert html.count('<section class="sheet"') == 2
    assert len(sheet_images(html)) == 13


def test_the_sheet_leaves_out_another_organisations_resources(fm_client, desk, foreign_desk):
    html = print_resources(fm_client, [desk, foreign_desk]).content.decode()
    decoded = [url for svg in sheet_images(html) for url in decode_svg(svg)]
    assert decoded == [checkin_url(desk)]
    assert "G.01" not in html


def test_the_floor_action_prints_every_resource_of_the_floor(fm_client, floor, desk, other_desk):
    room = ResourceFactory(floor=floor, code="R.1", kind=ResourceKind.MEETING_ROOM, capacity=6)
    ResourceFactory(floor=FloorFactory(building=floor.building), code="ELSEWHERE")
    response = fm_client.post(
        reverse("admin:locations_floor_changelist"),
        {"action": "print_qr_codes", "_selected_action": [floor.pk]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    decoded = sorted(url for svg in sheet_images(html) for url in decode_svg(svg))
    assert decoded == sorted(checkin_url(r) for r in (desk, other_desk, room))
    assert "ELSEWHERE" not in html
    assert "Meeting room" in html


def test_the_floor_action_ignores_another_organisations_floor(fm_client, foreign_desk):
    response = fm_client.post(
        reverse("admin:locations_floor_changelist"),
        {"action": "print_qr_codes", "_selected_action": [foreign_desk.floor.pk]},
    )
    assert checkin_url(foreign_desk) not in str(
        [decode_svg(svg) for svg in sheet_images(response.content.decode())]
    )
    assert "G.01" not in response.content.decode()


def test_an_employee_cant_print_the_sheet(client, employee, desk):
    client.force_login(employee)
    response = print_resources(client, [desk])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_other_actions_still_work(fm_client, desk):
    old_token = desk.checkin_token
    fm_client.post(
        reverse("admin:locations_resource_changelist"),
        {"action": "rotate_tokens", "_selected_action": [desk.pk]},
    )
    desk.refresh_from_db()
    assert desk.checkin_token != old_token


# Downloads and the change page


def test_the_svg_download_decodes_to_the_checkin_url(fm_client, desk):
    response = fm_client.get(reverse("admin:locations_resource_qr_svg", args=[desk.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".svg" in response["Content-Disposition"]
    assert decode_svg(response.content.decode()) == [checkin_url(desk)]


def test_the_png_download_decodes_to_the_checkin_url(fm_client, desk):
    response = fm_client.get(reverse("admin:locations_resource_qr_png", args=[desk.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert decode_png(response.content) == [checkin_url(desk)]


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_another_organisations_qr_download_answers_like_a_missing_one(
    fm_client, foreign_desk, kind
):
    foreign = fm_client.get(reverse(f"admin:locations_resource_qr_{kind}", args=[foreign_desk.pk]))
    missing = fm_client.get(reverse(f"admin:locations_resource_qr_{kind}", args=[987654321]))
    assert foreign.status_code == missing.status_code == 404


def test_an_employee_cant_download_a_code(client, employee, desk):
    client.force_login(employee)
    response = client.get(reverse("admin:locations_resource_qr_png", args=[desk.pk]))
    assert response.status_code == 302


def test_the_change_page_previews_the_code_and_links_the_downloads(fm_client, desk):
    response = fm_client.get(reverse("admin:locations_resource_change", args=[desk.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert [url for svg in sheet_images(html) for url in decode_svg(svg)] == [checkin_url(desk)]
    assert reverse("admin:locations_resource_qr_svg", args=[desk.pk]) in html
    assert reverse("admin:locations_resource_qr_png", args=[desk.pk]) in html


def test_the_add_page_has_no_code_yet(fm_client, floor):
    response = fm_client.get(reverse("admin:locations_resource_add"))
    assert response.status_code == 200
