from allauth.account.signals import email_confirmed

from profiles.services import join_organization_by_verified_email


def _join_on_email_confirmed(request, email_address, **kwargs) -> None:
    join_organization_by_verified_email(user=email_address.user, email=email_address.email)


def connect() -> None:
    email_confirmed.connect(_join_on_email_confirmed, dispatch_uid="profiles.join_on_confirm")
