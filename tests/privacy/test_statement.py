"""The privacy statement: public, our own text, links to where each right is exercised."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_data():
    return {"name": "Erin", "email": "erin@acme.example", "message": "What do you keep?"}


def test_statement_is_public_and_names_the_service_desk_and_country(client, settings):
    settings.OFFICEBOOKING_SERVICE_DESK_EMAIL = "desk@example.com"
    settings.OFFICEBOOKING_DATA_CENTRE_COUNTRY = "Germany"

    response = client.get(reverse("privacy_statement"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="mailto:desk@example.com"' in content
    assert "data centre in Germany" in content


def test_statement_links_every_right_to_its_page(client):
    content = client.get(reverse("privacy_statement")).content.decode()

    for name in [
        "my_data",
        "delete_account",
        "privacy_settings",
        "profile_edit",
        "colleague_search",
        "usersessions_list",
        "cookie_settings",
        "buildings_near_me",
    ]:
        assert f'href="{reverse(name)}"' in content


def test_statement_sends_the_export_right_to_the_my_data_page(client):
    # Starting an export takes a POST: the button is on the "My data" page.
    content = client.get(reverse("privacy_statement")).content.decode()

    assert f'<a href="{reverse("my_data")}">Export your data</a>' in content
    assert reverse("start_export") not in content


def test_statement_shows_the_organisations_retention_period(client, employee):
    employee.organization.retention_days = 30
    employee.organization.save(update_fields=["retention_days"])
    client.force_login(employee)

    content = client.get(reverse("privacy_statement")).content.decode()

    assert "for 30 days after they end" in content


def test_question_goes_to_the_service_desk_without_an_account(
    client, settings, contact_data, django_capture_on_commit_callbacks
):
    settings.OFFICEBOOKING_SERVICE_DESK_EMAIL = "desk@example.com"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy_contact"), contact_data, follow=True)

    assert response.redirect_chain[-1][0].endswith("#contact")
    assert "The service desk will answer you" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["desk@example.com"]
    assert message.reply_to == ["erin@acme.example"]
    assert "What do you keep?" in message.body


def test_question_needs_an_address_to_answer(client, contact_data):
    response = client.post(reverse("privacy_contact"), {**contact_data, "email": ""})

    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert not mail.outbox


def test_a_filled_in_honeypot_sends_nothing(client, contact_data):
    response = client.post(reverse("privacy_contact"), {**contact_data, "website": "spam"})

    assert response.status_code == 302
    assert not mail.outbox


def test_questions_are_limited_per_address(
    client, contact_data, django_capture_on_commit_callbacks
):
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse("privacy_contact"), contact_data).status_code == 302

    response = client.post(reverse("privacy_contact"), contact_data)

    assert response.status_code == 429
    assert len(mail.outbox) == 5


def test_the_limit_counts_per_address(client, contact_data):
    for _ in range(5):
        client.post(reverse("privacy_contact"), contact_data)

    response = client.post(reverse("privacy_contact"), contact_data, REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 302


def test_footer_links_the_statement_and_the_cookie_settings():
    html = render_to_string("partials/footer_privacy.html", request=RequestFactory().get("/"))

    assert f'href="{reverse("privacy_statement")}"' in html
    assert f'href="{reverse("cookie_settings")}"' in html
