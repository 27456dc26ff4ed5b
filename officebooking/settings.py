"""Settings for Officebooking, read once from the environment.

With no variables set the app runs on embedded defaults: SQLite, local-memory cache, Celery
tasks run in-process, e-mail to the console. See the README for every variable.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "insecure-development-key-only-for-the-embedded-default"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# The address printed on QR codes and in e-mails; never derived from a request's Host header.
BASE_URL = env_str("OFFICEBOOKING_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Named in the privacy statement; its contact form writes to the service desk.
OFFICEBOOKING_SERVICE_DESK_EMAIL = env_str("OFFICEBOOKING_SERVICE_DESK_EMAIL", "privacy@localhost")
OFFICEBOOKING_DATA_CENTRE_COUNTRY = env_str("OFFICEBOOKING_DATA_CENTRE_COUNTRY", "the Netherlands")
# Optional self-hosted web analytics. Empty: no consent banner and no analytics at all.
OFFICEBOOKING_ANALYTICS_URL = env_str("OFFICEBOOKING_ANALYTICS_URL")
OFFICEBOOKING_ANALYTICS_KIND = env_str("OFFICEBOOKING_ANALYTICS_KIND", "matomo")
if OFFICEBOOKING_ANALYTICS_URL and OFFICEBOOKING_ANALYTICS_KIND not in {"matomo", "plausible"}:
    raise ImproperlyConfigured(
        "OFFICEBOOKING_ANALYTICS_KIND must be matomo or plausible, "
        f"not {OFFICEBOOKING_ANALYTICS_KIND!r}"
    )
# JSON API requests per minute, counted before the token is looked up: per token (a phone
# repeats a beacon report) and per client address (all phones of an office behind one NAT).
OFFICEBOOKING_API_RATE_PER_TOKEN = env_int("OFFICEBOOKING_API_RATE_PER_TOKEN", 30)
OFFICEBOOKING_API_RATE_PER_IP = env_int("OFFICEBOOKING_API_RATE_PER_IP", 120)
# How long the audit log of staff changes keeps an entry; the nightly retention job deletes
# older ones. The privacy statement names this period.
OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS = env_int("OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS", 365)
if OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS must be at least 1")
# How long personal records outside bookings are kept (days); the privacy statement names them.
# "Who looked at my data" reaches back this far.
OFFICEBOOKING_STAFF_ACCESS_RETENTION_DAYS = env_int(
    "OFFICEBOOKING_STAFF_ACCESS_RETENTION_DAYS", 365
)
# Revoked API tokens and calendar feeds stay listed under "My data" this long after revoking.
OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS = env_int(
    "OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS", 30
)
for _name in (
    "OFFICEBOOKING_STAFF_ACCESS_RETENTION_DAYS",
    "OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS",
):
    if globals()[_name] < 0:
        raise ImproperlyConfigured(f"{_name} must be 0 or more days")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "officebooking",
    "profiles",
    "locations",
    "bookings",
    "privacy",
    "sensors",
    # Above every other app: nothing imports it.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "officebooking.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "profiles.middleware.TenantMiddleware",
    "profiles.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "profiles.middleware.SessionActivityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "officebooking.middleware.HtmxLoginRedirectMiddleware",
    "officebooking.middleware.PrivateResponseHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "profiles.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "officebooking.urls"
WSGI_APPLICATION = "officebooking.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "privacy.context_processors.analytics",
            ],
        },
    },
]

# Database: SQLite by default; DATABASE_URL switches to PostgreSQL.
# IMMEDIATE takes SQLite's write lock at BEGIN, so two bookings can't both read "free" and
# then both write (SQLite has no SELECT ... FOR UPDATE).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Small result sets (form choices) would otherwise cost three round trips each, and
    # server-side cursors break behind a transaction-pooling pgbouncer.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "officebooking",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Accounts
AUTH_USER_MODEL = "profiles.User"
SILENCED_SYSTEM_CHECKS = [
    # The e-mail address is unique case-insensitively, by a constraint on Lower(email) that
    # this check does not recognise.
    "auth.W004",
    # HSTS preloading puts every subdomain of the operator's domain on the browsers' HTTPS-only
    # list, hard to undo: the operator opts in with DJANGO_HSTS_PRELOAD=1, we don't for them.
    "security.W021",
]
AUTHENTICATION_BACKENDS = ["profiles.backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "profiles.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "profiles.forms.CompanySignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Officebooking] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_ADAPTER = "profiles.adapters.SocialAccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Officebooking"

# Company sign-in (OpenID Connect) is configured per installation through the environment.
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "Company sign-in")
OIDC_SERVER_URL = env_str("OIDC_SERVER_URL")
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "company",
                "name": OIDC_PROVIDER_NAME,
                "client_id": env_str("OIDC_CLIENT_ID"),
                "secret": env_str("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
    }

# People list and end their sessions (allauth.usersessions): a row per signed-in session with
# its IP address and browser, which is also erasure's index from a person to their sessions.
# allauth's own tracking writes that row on every request; SessionActivityMiddleware does it
# at most once a minute instead, so allauth's middleware is left out.
USERSESSIONS_TRACK_ACTIVITY = False
# Minutes without a request after which a session is logged out; 0: sessions end only when
# they expire (SESSION_COOKIE_AGE, two weeks after the last activity).
OFFICEBOOKING_SESSION_IDLE_TIMEOUT = env_int("OFFICEBOOKING_SESSION_IDLE_TIMEOUT", 0)
if OFFICEBOOKING_SESSION_IDLE_TIMEOUT < 0:
    raise ImproperlyConfigured("OFFICEBOOKING_SESSION_IDLE_TIMEOUT must be 0 or more minutes")

# Per-IP limits (failed logins, sign-ups, the contact form) need the client's address. Behind
# proxies REMOTE_ADDR is the nearest proxy: say how many of yours append to X-Forwarded-For, or
# which header your proxy sets to the client's address. 0 and no header: trust no header.
OFFICEBOOKING_TRUSTED_PROXY_COUNT = env_int("OFFICEBOOKING_TRUSTED_PROXY_COUNT", 0)
OFFICEBOOKING_TRUSTED_CLIENT_IP_HEADER = env_str("OFFICEBOOKING_TRUSTED_CLIENT_IP_HEADER") or None
ALLAUTH_TRUSTED_PROXY_COUNT = OFFICEBOOKING_TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = OFFICEBOOKING_TRUSTED_CLIENT_IP_HEADER

# Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files and private media
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Media is never served as static files: views check the owner first.
MEDIA_URL = "/files/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Officebooking <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Security
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer and compose probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Browser features pages may use: "near me" asks for the position; nothing else is needed
# (scanning a desk's QR code happens in the phone's camera app, not in our pages).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=({allowed})"
    for feature, allowed in {
        "geolocation": "self",
        "camera": "",
        "microphone": "",
        "display-capture": "",
        "payment": "",
        "usb": "",
        "serial": "",
        "hid": "",
        "bluetooth": "",
        "midi": "",
        "accelerometer": "",
        "gyroscope": "",
        "magnetometer": "",
        "browsing-topics": "",
    }.items()
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if OFFICEBOOKING_ANALYTICS_URL:
    # The analytics script and its tracking requests come from the configured origin only.
    _analytics = urlsplit(OFFICEBOOKING_ANALYTICS_URL)
    _analytics_origin = f"{_analytics.scheme}://{_analytics.netloc}"
    for _directive in ("script-src", "connect-src", "img-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(_analytics_origin)

# Celery: with no broker configured, tasks run in-process and `make run` starts the
# periodic jobs with `manage.py run_periodic_jobs`.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request must not hang when the broker is down: fail fast, log, let the sweep find the work.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "complete-pending-signups": {
        "task": "profiles.tasks.complete_pending_signups_task",
        "schedule": crontab(minute="*"),
    },
    "release-no-shows": {
        "task": "bookings.tasks.release_no_shows_task",
        "schedule": crontab(minute="*/5"),
    },
    "send-check-in-reminders": {
        "task": "bookings.tasks.send_check_in_reminders_task",
        "schedule": crontab(minute="*/5"),
    },
    "check-out-at-end-of-day": {
        "task": "bookings.tasks.check_out_at_end_of_day_task",
        "schedule": crontab(minute="*/15"),
    },
    "aggregate-statistics": {
        "task": "privacy.tasks.aggregate_statistics_task",
        "schedule": crontab(hour=2, minute=15),
    },
    "purge-personal-data": {
        "task": "privacy.tasks.retention_task",
        "schedule": crontab(hour=2, minute=45),
    },
    "clear-expired-sessions": {
        "task": "privacy.tasks.clear_expired_sessions_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "delete-expired-exports": {
        "task": "privacy.export.delete_expired_exports_task",
        "schedule": crontab(hour=3, minute=15),
    },
    "queue-waiting-exports": {
        "task": "privacy.export.queue_waiting_exports_task",
        "schedule": crontab(minute="*/5"),
    },
    "send-waiting-contact-questions": {
        "task": "privacy.tasks.send_waiting_contact_questions_task",
        "schedule": crontab(minute="*/5"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
