"""Sign-up, verification, login and reset through allauth's own views.

The pages never tell a visitor whether an address or organisation is known to us.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.test import Client, TestCase
from django.urls import reverse

from profiles.models import Membership, Role, User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PASSWORD = "Sup3r-secret-pw!"


def _sign_up(client, email):
    # The account and the e-mail are made by a task queued on commit: run it.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("account_signup"),
            {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        )


def _confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)


def _key_for(address) -> str:
    from allauth.account.models import EmailConfirmationHMAC

    return EmailConfirmationHMAC(address).key


def _page_text(response, email: str) -> str:
    """Return the page as a visitor reads it, with the typed address and CSRF token blanked."""
    text = response.content.decode().replace(email, "EMAIL")
    return re.sub(r"[A-Za-z0-9]{64}", "CSRF", text)


def _answer(client, email):
    """Sign up `email` and return everything the visitor sees: redirect, status and page."""
    response = _sign_up(client, email)
    page = client.get(response["Location"])
    return response.status_code, response["Location"], page.status_code, _page_text(page, email)


def test_signup_with_a_company_address_shows_the_verification_sent_page(client, organization):
    response = _sign_up(client, "newcomer@acme.example")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_signup_with_a_company_address_sends_a_verification_email(client, organization, mailoutbox):
    _sign_up(client, "newcomer@acme.example")

    [message] = mailoutbox
    assert message.to == ["newcomer@acme.example"]
    assert _confirmation_path(message)


def test_signup_with_a_company_address_creates_a_user_without_membership(client, organization):
    _sign_up(client, "newcomer@acme.example")

    user = User.objects.get(email="newcomer@acme.example")
    assert not Membership.objects.filter(user=user).exists()
    assert not EmailAddress.objects.get(user=user).verified


def test_confirming_the_address_makes_the_person_an_employee_of_the_organization(
    client, organization, mailoutbox
):
    _sign_up(client, "newcomer@acme.example")

    client.post(_confirmation_path(mailoutbox[0]))

    user = User.objects.get(email="newcomer@acme.example")
    assert EmailAddress.objects.get(user=user).verified
    assert user.membership.organization == organization
    assert user.membership.role == Role.EMPLOYEE


def test_confirming_the_address_leads_to_the_home_page(client, organization, mailoutbox):
    _sign_up(client, "newcomer@acme.example")

    response = client.post(_confirmation_path(mailoutbox[0]))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_confirming_the_address_in_the_signup_browser_logs_in(client, organization, mailoutbox):
    _sign_up(client, "newcomer@acme.example")

    client.post(_confirmation_path(mailoutbox[0]))

    user = User.objects.get(email="newcomer@acme.example")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_session_of_confirming_in_the_signup_browser_is_in_the_persons_list(
    client, organization, mailoutbox
):
    _sign_up(client, "newcomer@acme.example")

    client.post(_confirmation_path(mailoutbox[0]))

    [listed] = UserSession.objects.filter(user__email="newcomer@acme.example")
    assert listed.session_key == client.session.session_key


def test_signing_up_an_address_that_has_an_account_never_logs_into_it(
    client, organization, employee
):
    EmailAddress.objects.filter(user=employee).update(verified=False)
    _sign_up(client, employee.email)
    # The owner confirms from their own mailbox, in their own browser.
    Client().post(
        reverse("account_confirm_email", args=[_key_for(EmailAddress.objects.get(user=employee))])
    )

    assert client.get(reverse("home")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_confirming_the_address_in_another_browser_joins_and_asks_to_log_in(
    client, organization, mailoutbox
):
    _sign_up(client, "newcomer@acme.example")

    response = Client().post(_confirmation_path(mailoutbox[0]), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert User.objects.get(email="newcomer@acme.example").membership.organization == organization


def test_unknown_domain_gets_the_same_answer_as_a_known_one(organization):
    known = _answer(Client(), "newcomer@acme.example")
    unknown = _answer(Client(), "someone@initech.example")

    assert unknown == known


def test_unknown_domain_creates_no_user(client, organization):
    _sign_up(client, "someone@initech.example")

    assert not User.objects.filter(email="someone@initech.example").exists()


def test_unknown_domain_receives_an_explanatory_email(client, organization, mailoutbox):
    _sign_up(client, "someone@initech.example")

    [message] = mailoutbox
    assert message.to == ["someone@initech.example"]
    assert message.subject == "[Officebooking] About your sign-up"
    assert "does not use Officebooking" in message.body


def test_unknown_domain_signing_up_again_gets_no_second_email_like_a_known_address(
    organization, employee, mailoutbox
):
    for email in ["someone@initech.example", employee.email]:
        _sign_up(Client(), email)
        _sign_up(Client(), email)

    assert sorted(message.to[0] for message in mailoutbox) == [
        employee.email,
        "someone@initech.example",
    ]


def test_address_with_an_account_gets_the_same_answer_as_a_new_one(organization, employee):
    new = _answer(Client(), "newcomer@acme.example")
    existing = _answer(Client(), employee.email)

    assert existing == new
    assert User.objects.filter(email__iexact=employee.email).count() == 1


def test_address_with_an_account_receives_the_account_exists_email(
    client, organization, employee, mailoutbox
):
    _sign_up(client, employee.email)

    [message] = mailoutbox
    assert message.to == [employee.email]
    assert "already exists" in message.body
    assert "/accounts/password/reset/" in message.body


def test_the_new_account_keeps_the_password_chosen_at_sign_up(client, organization, mailoutbox):
    _sign_up(client, "newcomer@acme.example")
    client.post(_confirmation_path(mailoutbox[0]))

    response = Client().post(
        reverse("account_login"), {"login": "newcomer@acme.example", "password": PASSWORD}
    )

    assert response["Location"] == reverse("home")


def test_e_mail_links_use_the_site_address_not_the_visitors_host_header(
    client, settings, organization, mailoutbox
):
    settings.BASE_URL = "https://booking.example.com"

    _sign_up(client, "newcomer@acme.example")

    assert "https://booking.example.com/accounts/confirm-email/" in mailoutbox[0].body


def test_unverified_address_cannot_log_in(client, organization):
    _sign_up(client, "newcomer@acme.example")
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": "newcomer@acme.example", "password": PASSWORD}
    )

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_verified_member_logs_in(client, employee):
    response = client.post(
        reverse("account_login"), {"login": employee.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(employee.pk)


def _fail_login(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": "wrong-password"})


def test_repeated_failed_logins_for_one_address_are_rate_limited(client, employee):
    for _attempt in range(5):
        response = _fail_login(client, employee.email)
        assert "Too many failed login attempts" not in response.content.decode()

    response = _fail_login(client, employee.email)

    assert "Too many failed login attempts" in response.content.decode()


def test_rate_limited_address_cannot_log_in_even_with_the_right_password(client, employee):
    for _attempt in range(5):
        _fail_login(client, employee.email)

    response = client.post(
        reverse("account_login"), {"login": employee.email, "password": TEST_PASSWORD}
    )

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def _reset_password(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def test_password_reset_sends_an_email_for_a_known_address(client, employee, mailoutbox):
    response = _reset_password(client, employee.email)

    assert response["Location"] == reverse("account_reset_password_done")
    [message] = mailoutbox
    assert message.to == [employee.email]
    assert "/accounts/password/reset/key/" in message.body


def test_password_reset_answers_an_unknown_address_with_the_same_page(client, employee):
    known = _reset_password(Client(), employee.email)
    unknown = _reset_password(Client(), "nobody@acme.example")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])


def test_two_factor_page_is_reachable_for_a_logged_in_person(client, employee):
    client.force_login(employee)

    response = client.get("/accounts/2fa/")

    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.content.decode()


def test_two_factor_page_asks_a_visitor_to_log_in(client):
    response = client.get("/accounts/2fa/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
