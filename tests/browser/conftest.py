import os
from datetime import timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright

from locations.models import Amenity
from tests.factories import BuildingFactory, FloorFactory, ResourceFactory

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run the tests with make test.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# A small phone: the narrowest screen the pages are made for.
PHONE_WIDTH, PHONE_HEIGHT = 360, 740


def _open_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Any script the Content-Security-Policy blocks is a bug in our templates.
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _open_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context, page = _open_page(
        browser,
        live_server,
        viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
        is_mobile=True,
        has_touch=True,
    )
    yield page
    context.close()


def log_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


@pytest.fixture
def day():
    # A few days ahead: never in the past, whatever the time the tests run.
    return timezone.localdate(timezone=AMSTERDAM) + timedelta(days=3)


@pytest.fixture
def office(organization):
    """Two small floors: six desks downstairs (the first three with a monitor), two upstairs."""
    building = BuildingFactory(organization=organization, name="Amsterdam HQ")
    ground = FloorFactory(building=building, name="Ground floor", level=0, width=600, height=300)
    first = FloorFactory(building=building, name="First floor", level=1, width=600, height=300)
    monitor = Amenity.objects.get(slug="monitor")
    desks = [
        ResourceFactory(floor=ground, code=f"0.0{n}", x=60 + 95 * (n - 1), y=150)
        for n in range(1, 7)
    ]
    for desk in desks[:3]:
        desk.amenities.add(monitor)
    upstairs = [ResourceFactory(floor=first, code=f"1.0{n}", x=100 * n, y=150) for n in (1, 2)]
    return SimpleNamespace(
        ground=ground, first=first, desks=desks, upstairs=upstairs, monitor=monitor
    )
