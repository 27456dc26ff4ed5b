from profiles.models import EmailDomain, Organization


def organization_for_email(email: str) -> Organization | None:
    """Return the organisation whose e-mail domains include this address's domain."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    match = EmailDomain.objects.select_related("organization").filter(domain=domain).first()
    return match.organization if match else None
