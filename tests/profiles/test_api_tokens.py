import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from profiles.models import ApiToken
from profiles.selectors import user_for_api_key
from profiles.services import create_api_token, revoke_api_token

URL = "/account/api-tokens/"


@pytest.fixture
def erin(client, employee):
    client.force_login(employee)
    return client


def test_the_page_is_at_its_url():
    assert reverse("api_tokens") == URL


def test_the_page_needs_a_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(erin, employee):
    response = erin.post(URL, {"name": "My phone"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=employee)
    raw_key = response.context["new_key"]
    assert raw_key.startswith("ob_")
    assert raw_key in response.content.decode()
    assert token.name == "My phone"
    assert token.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert token.prefix == raw_key[:8]
    assert raw_key not in {token.name, token.prefix, token.key_hash}
    assert "no-store" in response["Cache-Control"]

    again = erin.get(URL)
    assert raw_key not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_the_new_key_is_in_a_labelled_readonly_input(erin):
    content = erin.post(URL, {"name": "My phone"}).content.decode()

    assert '<label for="new-key">' in content
    assert 'id="new-key"' in content
    assert "readonly" in content


def test_a_token_needs_a_name(erin):
    response = erin.post(URL, {"name": ""})

    assert response.status_code == 200
    assert response.context["new_key"] is None
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_the_page_lists_only_the_persons_live_tokens(erin, employee, colleague):
    create_api_token(user=employee, name="Phone")
    revoked, _key = create_api_token(user=employee, name="Old tablet")
    revoke_api_token(user=employee, token_id=revoked.pk)
    create_api_token(user=colleague, name="Carl's phone")

    response = erin.get(URL)

    assert [token.name for token in response.context["tokens"]] == ["Phone"]


def test_revoking_stops_the_token_working(erin, employee):
    token, raw_key = create_api_token(user=employee, name="Phone")

    response = erin.post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert response["Location"] == URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert user_for_api_key(raw_key) is None


def test_revoking_twice_is_harmless(erin, employee):
    token, _key = create_api_token(user=employee, name="Phone")
    erin.post(reverse("api_token_revoke", args=[token.pk]))

    response = erin.post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 302


def test_revoking_needs_a_post(erin, employee):
    token, _key = create_api_token(user=employee, name="Phone")

    assert erin.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405


def test_a_colleagues_token_cannot_be_revoked(erin, colleague):
    token, raw_key = create_api_token(user=colleague, name="Carl's phone")

    response = erin.post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert user_for_api_key(raw_key) == colleague


def test_another_organisations_token_cannot_be_revoked(client, employee, stranger):
    token, raw_key = create_api_token(user=stranger, name="Sam's phone")
    client.force_login(employee)

    response = client.post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert user_for_api_key(raw_key) == stranger


def test_revoke_api_token_only_revokes_the_persons_own(employee, colleague):
    token, _key = create_api_token(user=colleague, name="Carl's phone")

    assert revoke_api_token(user=employee, token_id=token.pk) is False
    assert revoke_api_token(user=colleague, token_id=token.pk) is True
    assert revoke_api_token(user=colleague, token_id=token.pk) is False


def test_a_key_finds_its_member(employee):
    _token, raw_key = create_api_token(user=employee, name="Phone")

    user = user_for_api_key(raw_key)

    assert user == employee
    assert user.organization.name == "Acme"


def test_a_wrong_key_finds_nobody(employee):
    create_api_token(user=employee, name="Phone")

    assert user_for_api_key("ob_wrong") is None
    assert user_for_api_key("") is None


def test_a_deactivated_persons_key_finds_nobody(employee):
    _token, raw_key = create_api_token(user=employee, name="Phone")
    employee.is_active = False
    employee.save()

    assert user_for_api_key(raw_key) is None


def test_a_key_is_marked_used_at_most_once_a_minute(employee, django_assert_num_queries):
    token, raw_key = create_api_token(user=employee, name="Phone")

    user_for_api_key(raw_key)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    with django_assert_num_queries(1):
        user_for_api_key(raw_key)
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    user_for_api_key(raw_key)
    token.refresh_from_db()
    assert token.last_used_at > first_use
