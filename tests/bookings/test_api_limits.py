"""The API throttles per token and per client address, and every error is JSON."""

import secrets
import uuid

import pytest

from locations.models import Beacon
from profiles.services import create_api_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/check-ins/beacon"
ME = "/api/v1/me"


@pytest.fixture
def key(employee):
    _token, raw_key = create_api_token(user=employee, name="Phone")
    return raw_key


def get_me(client, key, address="192.0.2.10"):
    return client.get(ME, HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR=address)


def test_one_token_is_throttled_with_a_json_429(client, key, settings):
    settings.OFFICEBOOKING_API_RATE_PER_TOKEN = 5

    answers = [get_me(client, key) for _ in range(6)]

    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    assert answers[-1].json() == {"detail": "Too many requests."}
    assert 0 < int(answers[-1]["Retry-After"]) <= 60


def test_guessing_tokens_from_one_address_is_throttled(client):
    # Counted before the lookup: 300 made-up tokens must not all get their own 401.
    answers = [get_me(client, secrets.token_urlsafe(32)) for _ in range(300)]

    codes = [answer.status_code for answer in answers]
    assert set(codes) == {401, 429}
    assert codes.index(429) <= 120
    assert codes[codes.index(429) :] == [429] * (300 - codes.index(429))


def test_the_address_limit_leaves_other_addresses_alone(client, key, settings):
    settings.OFFICEBOOKING_API_RATE_PER_IP = 3
    for _ in range(3):
        get_me(client, secrets.token_urlsafe(32), address="192.0.2.66")

    assert get_me(client, key, address="192.0.2.66").status_code == 429
    assert get_me(client, key, address="192.0.2.10").status_code == 200


def test_behind_a_trusted_proxy_the_address_limit_counts_each_client(client, key, settings):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 1
    settings.OFFICEBOOKING_API_RATE_PER_IP = 3
    proxy = "10.0.0.2"
    for _ in range(3):
        client.get(
            ME,
            HTTP_AUTHORIZATION=f"Bearer {secrets.token_urlsafe(32)}",
            HTTP_X_FORWARDED_FOR="192.0.2.66",
            REMOTE_ADDR=proxy,
        )

    def from_client(address):
        return client.get(
            ME, HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_X_FORWARDED_FOR=address, REMOTE_ADDR=proxy
        )

    assert from_client("192.0.2.66").status_code == 429
    assert from_client("192.0.2.10").status_code == 200


def test_the_token_limit_leaves_other_tokens_alone(client, key, colleague, settings):
    settings.OFFICEBOOKING_API_RATE_PER_TOKEN = 2
    _token, other_key = create_api_token(user=colleague, name="Phone")
    for _ in range(2):
        get_me(client, key)

    assert get_me(client, key).status_code == 429
    assert get_me(client, other_key).status_code == 200


def test_a_ten_megabyte_body_answers_413_in_json(client, key):
    body = '{"uuid": "' + "x" * (10 * 1024 * 1024) + '"}'

    response = client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "detail" in response.json()


def test_an_unknown_api_path_answers_404_in_json(client, key):
    response = client.get("/api/v1/no-such-thing", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_a_wrong_method_answers_405_in_json(client, key):
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert "POST" in response["Allow"]


def test_a_missing_token_answers_401_in_json(client):
    response = client.get(ME)

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_server_error_answers_500_in_json(client, key, desk, monkeypatch):
    Beacon.objects.create(
        organization=desk.organization, resource=desk, uuid=uuid.uuid4(), major=1, minor=1
    )

    def broken(*args, **kwargs):
        raise RuntimeError("the database fell over")

    monkeypatch.setattr("bookings.api._open_check_in", broken)
    client.raise_request_exception = False
    beacon = Beacon.objects.get()

    response = client.post(
        URL,
        {"uuid": str(beacon.uuid), "major": 1, "minor": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}


def test_pages_outside_the_api_keep_their_html_404(client, employee):
    client.force_login(employee)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
