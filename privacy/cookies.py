"""The cookies the site sets, for the cookie page, read from the settings that set them.

The page lists what this returns, so a renamed cookie, a changed lifetime or a new cookie
changes the page too; tests/privacy/test_cookie_page.py logs in, switches the language, gets
a message and consents, and fails when a cookie set on the way is not listed.
"""

from dataclasses import dataclass
from datetime import timedelta

from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.utils import timezone
from django.utils.html import avoid_wrapping
from django.utils.module_loading import import_string
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext as _

from privacy.context_processors import CONSENT_COOKIE, CONSENT_MAX_AGE_SECONDS


@dataclass(frozen=True)
class SiteCookie:
    name: str
    purpose: str
    kept_for: str


def _lifetime(max_age: int | float | timedelta | None) -> str:
    # None is a browser-session cookie: it has no expiry date and goes with the browser.
    if max_age is None:
        return _("until you close the browser")
    if not isinstance(max_age, timedelta):
        max_age = timedelta(seconds=max_age)
    # Within a week of whole years (Django's CSRF cookie lasts 52 weeks) it reads "1 year",
    # not "11 months, 4 weeks"; in Django's own words, so it is translated already.
    years = round(max_age.days / 365.25)
    if years and abs(max_age.days - years * 365.25) <= 7:
        return avoid_wrapping(TIME_STRINGS["year"] % {"num": years})
    now = timezone.now()
    return timesince(now - max_age, now, depth=2)


def _message_cookie_name() -> str | None:
    storage = import_string(settings.MESSAGE_STORAGE)
    if issubclass(storage, CookieStorage):
        return storage.cookie_name
    if issubclass(storage, FallbackStorage):
        # Messages go to a cookie first, and to the session only when they don't fit.
        cookie_storages = [s for s in storage.storage_classes if issubclass(s, CookieStorage)]
        return cookie_storages[0].cookie_name if cookie_storages else None
    return None


def site_cookies() -> list[SiteCookie]:
    """Return every cookie the site may set, with what it is for and how long it is kept."""
    if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE:
        session_lifetime = _lifetime(None)
    else:
        session_lifetime = _("until you log out, at most %(lifetime)s") % {
            "lifetime": _lifetime(settings.SESSION_COOKIE_AGE)
        }
    cookies = [
        SiteCookie(settings.SESSION_COOKIE_NAME, _("Keeps you logged in."), session_lifetime)
    ]
    if not settings.CSRF_USE_SESSIONS:
        cookies.append(
            SiteCookie(
                settings.CSRF_COOKIE_NAME,
                _("Protects your forms against forgery by other sites."),
                _lifetime(settings.CSRF_COOKIE_AGE),
            )
        )
    cookies.append(
        SiteCookie(
            settings.LANGUAGE_COOKIE_NAME,
            _("Remembers the language you chose."),
            _lifetime(settings.LANGUAGE_COOKIE_AGE),
        )
    )
    message_cookie = _message_cookie_name()
    if message_cookie:
        cookies.append(
            SiteCookie(
                message_cookie,
                _('Carries a notice such as "Your choice is saved" to the next page.'),
                _("until the notice is shown"),
            )
        )
    if mfa_settings.TRUST_ENABLED:
        cookies.append(
            SiteCookie(
                mfa_settings.TRUST_COOKIE_NAME,
                _("Remembers that this browser passed two-factor authentication."),
                _lifetime(mfa_settings.TRUST_COOKIE_AGE),
            )
        )
    if settings.OFFICEBOOKING_ANALYTICS_URL:
        cookies.append(
            SiteCookie(
                CONSENT_COOKIE,
                _("Remembers your answer to the analytics question below."),
                _lifetime(CONSENT_MAX_AGE_SECONDS),
            )
        )
    return cookies
