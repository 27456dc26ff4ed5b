"""The shared htmx answer: the page, or its fragment for htmx, varying on HX-Request."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("colleague_search")
PAGE = "profiles/colleague_search.html"
FRAGMENT = "profiles/partials/colleague_results.html"


def _templates(response) -> list[str]:
    return [template.name for template in response.templates]


def test_a_plain_request_gets_the_page(client, employee):
    client.force_login(employee)

    response = client.get(URL)

    assert PAGE in _templates(response)
    assert "HX-Request" in response["Vary"]


def test_htmx_gets_the_fragment_alone(client, employee):
    client.force_login(employee)

    response = client.get(URL, headers={"HX-Request": "true"})

    assert _templates(response)[0] == FRAGMENT
    assert PAGE not in _templates(response)
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client, employee):
    client.force_login(employee)

    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert PAGE in _templates(response)
