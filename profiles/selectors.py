import hashlib
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from profiles.models import ApiToken, EmailDomain, Organization, User


def organization_for_email(email: str) -> Organization | None:
    """Return the organisation whose e-mail domains include this address's domain."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    match = EmailDomain.objects.select_related("organization").filter(domain=domain).first()
    return match.organization if match else None


# A token in use is touched at most this often: a write per request would turn every API
# call into a row lock on the token.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def api_key_hash(raw_key: str) -> str:
    """Return the stored form of an API key: its SHA-256, in hex."""
    return hashlib.sha256(raw_key.encode()).hexdigest()


def user_for_api_key(raw_key: str) -> User | None:
    """Return the active member a live API key belongs to, or None.

    Also records when the key was last used, at most once a minute.
    """
    token = (
        ApiToken.objects.live()
        .filter(key_hash=api_key_hash(raw_key), user__is_active=True)
        .filter(user__membership__isnull=False)
        .select_related("user__membership__organization")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    stale_before = now - API_TOKEN_TOUCH_INTERVAL
    if token.last_used_at is None or token.last_used_at < stale_before:
        # Conditional, so a burst of requests from the app writes the row once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale_before)
        ).update(last_used_at=now)
    return token.user
