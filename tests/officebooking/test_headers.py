"""Cache-Control on signed-in pages and the Permissions-Policy on every page."""

import pytest
from django.urls import reverse

from demo.plan_images import FloorPlan, floor_plan_file
from profiles.services import create_api_token

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("url_name", ["home", "my_bookings", "find", "calendar_settings"])
def test_signed_in_pages_are_private_and_never_stored(client, employee, desk, url_name):
    client.force_login(employee)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_the_qr_landing_page_of_a_signed_in_person_is_never_stored(client, employee, desk):
    client.force_login(employee)

    response = client.get(reverse("checkin", args=[desk.checkin_token]))

    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_the_api_answers_a_token_holder_with_no_store(client, employee):
    _token, key = create_api_token(user=employee, name="Phone")

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_view_that_sets_its_own_caching_keeps_it(client, employee, floor):
    floor.plan_image.save("plan.png", floor_plan_file(FloorPlan(title="G")), save=True)
    client.force_login(employee)

    response = client.get(reverse("locations:floor_plan_image", args=[floor.pk]))

    assert directives(response) == {"private", "max-age=3600"}


def test_pages_for_visitors_are_not_marked_private(client):
    response = client.get(reverse("privacy_statement"))

    assert response.status_code == 200
    assert "no-store" not in directives(response)


def test_healthz_keeps_its_own_caching(client, employee):
    probe = directives(client.get("/healthz"))
    client.force_login(employee)

    signed_in = directives(client.get("/healthz"))

    assert signed_in == probe
    assert "no-cache" in probe


def test_static_files_are_not_marked_private(client, employee, settings):
    # WhiteNoise reads its settings when the client's handler first loads the middleware.
    settings.WHITENOISE_USE_FINDERS = True
    client.force_login(employee)

    response = client.get("/static/js/app.js")

    assert response.status_code == 200
    assert "private" not in directives(response)


def test_every_page_sends_a_permissions_policy(client, employee):
    client.force_login(employee)

    policy = client.get(reverse("home"))["Permissions-Policy"]

    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    # "Near me" asks the browser where the person is; nothing asks for camera or microphone.
    assert features["geolocation"] == "(self)"
    assert features["camera"] == "()"
    assert features["microphone"] == "()"
    assert features["payment"] == "()"


def test_a_visitors_page_sends_the_permissions_policy_too(client):
    response = client.get(reverse("account_login"))

    assert "camera=()" in response["Permissions-Policy"]


def test_the_permissions_policy_allows_no_other_site(client):
    policy = client.get(reverse("account_login"))["Permissions-Policy"]

    for item in policy.split(","):
        _feature, allowlist = item.strip().split("=", 1)
        assert allowlist in {"()", "(self)"}
