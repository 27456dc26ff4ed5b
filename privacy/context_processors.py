from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import HttpRequest

# A functional cookie: it only remembers the answer to the consent question.
CONSENT_COOKIE = "ob_consent"
CONSENT_MAX_AGE_SECONDS = 365 * 24 * 60 * 60
CONSENT_CHOICES = ("yes", "no")


def analytics(request: HttpRequest) -> dict:
    """Return what the consent banner and the analytics script need.

    `analytics` is None when no analytics is configured: no banner, no script, nothing.
    """
    url = settings.OFFICEBOOKING_ANALYTICS_URL
    if not url:
        return {"analytics": None}
    consent = request.COOKIES.get(CONSENT_COOKIE)
    return {
        "analytics": {
            "ask": consent not in CONSENT_CHOICES,
            "load": consent == "yes",
            "kind": settings.OFFICEBOOKING_ANALYTICS_KIND,
            **_script_attributes(url),
        }
    }


def _script_attributes(url: str) -> dict:
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/"
    if settings.OFFICEBOOKING_ANALYTICS_KIND == "plausible":
        return {"script_url": f"{base}js/script.js", "domain": urlsplit(settings.BASE_URL).hostname}
    site_id = parse_qs(parts.query).get("idsite", ["1"])[0]
    return {"tracker_url": base, "site_id": site_id}
