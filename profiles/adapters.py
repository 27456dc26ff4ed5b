from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from profiles.network import client_ip
from profiles.selectors import organization_for_email
from profiles.services import join_organization_by_verified_email


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # allauth's rate limits and user sessions count per client, not per proxy.
        return client_ip(request)

    def get_email_verification_redirect_url(self, email_address):
        return settings.LOGIN_REDIRECT_URL


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Company sign-in (OpenID Connect): only for addresses of a client organisation."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        email = sociallogin.user.email or ""
        return organization_for_email(email) is not None

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        # The company's identity provider vouches for the address only when it says so.
        for address in EmailAddress.objects.filter(user=user, verified=True):
            join_organization_by_verified_email(user=user, email=address.email)
        return user
