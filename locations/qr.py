"""QR codes that lead to a resource's check-in page.

The SVG is for print (it stays sharp at any size), the PNG for screens and label printers.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from qrcode.compat.etree import ET

from locations.models import Resource

# The four-module quiet zone the QR standard asks for: scanners need it on a busy desk.
BORDER = 4


class _ClassedSvgImage(qrcode.image.svg.SvgPathImage):
    """One path of modules on a white square, styled by class names instead of a style block.

    Plain `fill` attributes are kept: they are presentation attributes, which a
    Content-Security-Policy without 'unsafe-inline' allows, and a downloaded file needs them.
    """

    def _svg(self, **kwargs):
        svg = super()._svg(**kwargs)
        svg.set("class", "qr-code")
        svg.set("shape-rendering", "crispEdges")
        background = {"class": "qr-background", "fill": "#fff", "width": "100%", "height": "100%"}
        svg.append(ET.Element("rect", background))
        return svg

    def process(self):
        self.path = ET.Element(
            "path", {"class": "qr-modules", "fill": "#000", "d": "".join(self._subpaths)}
        )
        self._subpaths = []
        self._img.append(self.path)


def checkin_url(resource: Resource) -> str:
    """Return the absolute address of the resource's check-in page, as its QR code holds it."""
    return settings.BASE_URL + reverse("checkin", args=[resource.checkin_token])


def _qr(url: str, box_size: int) -> qrcode.QRCode:
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=BORDER
    )
    qr.add_data(url)
    qr.make(fit=True)
    return qr


def qr_svg(url: str) -> str:
    """Return an SVG document (no XML declaration, so it embeds as it is) encoding `url`.

    One module is one unit of the viewBox and 1 mm of the default printed size.
    """
    image = _qr(url, box_size=10).make_image(image_factory=_ClassedSvgImage)
    return image.to_string(encoding="unicode")


def qr_png(url: str, box_size: int = 10) -> bytes:
    """Return a black-on-white PNG encoding `url`, `box_size` pixels per module."""
    image = _qr(url, box_size=box_size).make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def svg_data_uri(svg: str) -> str:
    """Return `svg` as a data: URI for an <img>, which the page's CSP allows (img-src data:)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
