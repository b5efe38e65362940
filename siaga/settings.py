"""Django settings, built from the environment through siaga.conf (see docs/configuration.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from csp.constants import NONE, SELF

from siaga import conf

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = conf.data_dir()

PRODUCTION = conf.is_production()
SECRET_KEY = conf.secret_key()
# Debug pages list every URL and show settings (DATABASE_URL with its password): only when asked for, whatever
# the server (issue 10); never in production.
DEBUG = conf.env_bool("SIAGA_DEBUG", False) and not PRODUCTION
ALLOWED_HOSTS = [h.strip() for h in (conf.env("SIAGA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]") or "").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "siaga.core",
    "siaga.regions",
    "siaga.forces",
    "siaga.elections",
    "siaga.risk",
    "siaga.deployments",
    "siaga.escort",
    "siaga.operations",
    "siaga.accounts",
    "siaga.web",
    "ninja",  # serves the API docs page from installed static files (no CDN)
    "csp",  # system checks for the Content-Security-Policy settings below
    "axes",  # lock-out after repeated password failures (AXES_* below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from the installed packages, no CDN, no collectstatic
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into the login page saying so (429)
]

ROOT_URLCONF = "siaga.urls"
WSGI_APPLICATION = "siaga.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASE_URL = conf.database_url()
if DATABASE_URL.startswith("sqlite:///"):
    Path(DATABASE_URL.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; a longer timeout rides out short write locks; IMMEDIATE
    # transactions take the write lock at BEGIN, so a background job and a web write queue instead of failing
    # with "database is locked" when both upgrade a read lock at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;",
                                       "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = ["siaga.accounts.backends.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
# Lock-out (docs/access.md "Login and lock-out"): 5 failures within 15 minutes lock that username from that address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # tries while locked do not lengthen the lock
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept for the admin, not only the counter
AXES_LOCKOUT_CALLABLE = "siaga.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "siaga.accounts.backends.client_ip"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = conf.env("SIAGA_LANGUAGE", "id")
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = conf.env("SIAGA_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True  # serve straight from the app and xstatic folders (Granian in production)
WHITENOISE_AUTOREFRESH = DEBUG
# Leaflet and MarkerCluster come from installed packages (no CDN; police networks are often offline).
STATICFILES_DIRS = [("leaflet", xstatic.pkg.leaflet.BASE_DIR),
                    ("leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR)]
#: Map tile URL template ({z}/{x}/{y}); empty = no tiles, the map draws TPS and posts on a plain background.
SIAGA_TILE_URL = conf.env("SIAGA_TILE_URL", "") or ""


def _tile_sources(url: str) -> list[str]:
    """The img-src source of a tile URL template: its origin, with {s} (subdomains) as a wildcard host label."""
    if "://" not in url:
        return []  # a path on Siaga itself: 'self' covers it
    scheme, rest = url.split("://", 1)
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return [f"{scheme}://{host}"]


# Content-Security-Policy (django-csp 4; docs/web.md "Content-Security-Policy"): scripts and styles only from
# Siaga's own static files, never inline, so markup that slips into a page from data cannot run. Pages pass
# data to their scripts through json_script (a JSON <script> block is not executed) and data- attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_sources(SIAGA_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SIAGA_BROKER_URL = conf.env("SIAGA_BROKER_URL", "") or ""

SESSION_COOKIE_HTTPONLY = True
# Behind an HTTPS reverse proxy (docs/configuration.md): trust its X-Forwarded-Proto, send cookies over HTTPS
# only, send HSTS; a login through the proxy passes the CSRF origin check.
BEHIND_HTTPS_PROXY = conf.env_bool("SIAGA_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(conf.env("SIAGA_HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other services of the domain may not speak HTTPS yet
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (conf.env("SIAGA_TRUSTED_ORIGINS", "") or "").split(",") if o.strip()]
SESSION_COOKIE_SECURE = PRODUCTION or BEHIND_HTTPS_PROXY
CSRF_COOKIE_SECURE = PRODUCTION or BEHIND_HTTPS_PROXY

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"siaga": {"handlers": ["console"], "level": conf.env("SIAGA_LOG_LEVEL", "INFO")}},
}
