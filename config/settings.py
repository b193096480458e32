"""Settings, all read from the environment.

A fresh clone runs on SQLite with DEBUG on, local-memory cache and database sessions.
With DEBUG off, DJANGO_SECRET_KEY must be set: there is no production default. A value
the environment gets wrong (DJANGO_DEBUG=ture, a port that is not a number) stops
start-up with one line naming the variable, never a silent default.

Behind a proxy (README, "Behind a proxy"), two questions, two kinds of setting:

- Which peers are proxies? DJANGO_TRUSTED_PROXIES lists their addresses or networks
  (10.0.0.0/24). DJANGO_BEHIND_PROXY=1 says the site is only reached through a proxy:
  it believes X-Forwarded-Proto (so HTTPS behind a TLS-terminating proxy does not
  redirect for ever) and, when DJANGO_TRUSTED_PROXIES is empty, takes any peer for
  the proxy, which is right only when the app server's port is reachable from the
  proxy alone. With neither, no proxy header is believed: a client writes what it likes.
- How many proxies stand in front? DJANGO_TRUSTED_PROXY_COUNT (1). Each proxy appends
  the address it saw to X-Forwarded-For, so the client is the COUNT-th entry from the
  right. Entries further left are whatever the client sent, and are never read: a
  forged header neither escapes a throttle nor locks anyone else out
  (accounts.throttles.client_address, which django-axes uses too).

With REDIS_URL set, the cache is Redis (config.cache.ForgivingRedisCache: a Redis
outage is a cache miss, never an error page) and sessions are cached_db (read from
Redis, written through to the database), so several app servers share sessions and
throttle counts.
"""

import ipaddress
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


class SettingError(SystemExit, ImproperlyConfigured):
    """A value the environment got wrong. An ImproperlyConfigured, as Django expects of
    a bad setting, and a SystemExit, so that start-up ends with this one line on stderr
    instead of a traceback that buries it."""

    def __init__(self, message):
        super().__init__(f"Error: {message}")


def env_text(name):
    """The variable's value, stripped; None when it is absent or empty."""
    return os.environ.get(name, "").strip() or None


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name, default=False):
    value = env_text(name)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise SettingError(
        f"{name}={value!r} is not a yes/no value: write 1/0, true/false, yes/no or on/off."
    )


def env_int(name, default, *, minimum=0):
    value = env_text(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a whole number, e.g. {default}.") from None
    if number < minimum:
        raise SettingError(f"{name}={value!r}: must be at least {minimum}.")
    return number


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name, default):
    """A limit written COUNT/SECONDS, e.g. 60/3600 for sixty an hour."""
    text = env_text(name) or default
    try:
        count, seconds = (int(part) for part in text.split("/"))
    except ValueError:
        count = seconds = 0
    if count < 1 or seconds < 1:
        raise SettingError(f"{name}={text!r}: write a limit as COUNT/SECONDS, e.g. {default}.")
    return count, seconds


def env_networks(name):
    """Addresses or networks, comma-separated, kept as written once each one parses."""
    items = env_list(name)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise SettingError(
                f"{name}: {item!r} is not an address or network, e.g. 10.0.0.5 or 10.0.0.0/24."
            ) from None
    return items


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise SettingError("set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "accounts",
    "learning",
    "quizzes",
    "authoring",
    "review",
    "teaching",
]
# py-fsrs spreads due dates a little at random, so cards learned together do not all
# fall due together; tests turn it off so that a due date can be pinned.
REVIEW_FUZZING = env_bool("DJANGO_REVIEW_FUZZING", "pytest" not in sys.modules)

MIDDLEWARE = [
    # Neither of the first three reads the request body, so an oversized one is
    # refused (413) before anything could, and still gets the security headers.
    "config.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.SlidingSessionMiddleware",
    "accounts.middleware.LoginThrottleMiddleware",
    "axes.middleware.AxesMiddleware",
    # Both read the session only (accounts.profiles keeps what they need there).
    "accounts.middleware.TimeZoneMiddleware",
    "accounts.middleware.MustChangePasswordMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PermissionsInOneQueryBackend",
]
# Lock a username only from the address that failed, and only for a while:
# a stranger elsewhere cannot lock a student out, nor can anyone do it forever.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"  # a 429 page saying how long to wait
# Axes stores at most 255 characters of a username; a longer one (no account has
# one) would make PostgreSQL refuse the row and the login page answer 500.
AXES_USERNAME_CALLABLE = "accounts.security_log.lockout_username"
# The same client address as the throttles: behind a trusted proxy, the proxy's client.
AXES_CLIENT_IP_CALLABLE = "accounts.throttles.client_address"
AXES_VERBOSE = False
# Lock-outs are rows in the database even when Redis is there: the database is shared
# by every app server already, a lock-out must hold while Redis is down (the cache then
# forgets everything), and a teacher's "reset sign-in failures" and the admin's list of
# access attempts work on those rows. It costs a query or two per log-in POST only.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Proxies (the module docstring says how these fit together). `make serve` sets
# DJANGO_TRUSTED_PROXIES=127.0.0.1 for the nginx it runs in front of gunicorn.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off: Host is the one the proxy passes on, checked against ALLOWED_HOSTS.
USE_X_FORWARDED_HOST = False
TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES")
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 1, minimum=1)
if env_text("DJANGO_TRUSTED_PROXY_COUNT") and not (BEHIND_PROXY or TRUSTED_PROXIES):
    raise SettingError(
        "DJANGO_TRUSTED_PROXY_COUNT is set but no proxy is trusted: "
        "set DJANGO_BEHIND_PROXY=1 or DJANGO_TRUSTED_PROXIES too."
    )

# Per-address limits (accounts/throttles.py), COUNT/SECONDS. A class of 30-35 signing
# up, joining and mistyping from one school address in a lesson stays well inside them.
THROTTLES = {
    "signup": env_rate("DJANGO_THROTTLE_SIGNUP", "60/3600"),
    # Wrong codes are counted tightly (guessing), right ones generously (a school's classes).
    "join_failed": env_rate("DJANGO_THROTTLE_JOIN_FAILED", "30/900"),
    "join": env_rate("DJANGO_THROTTLE_JOIN", "300/3600"),
    # Failed log-ins across all usernames; axes still locks one username+address after 5.
    "login_failed": env_rate("DJANGO_THROTTLE_LOGIN_FAILED", "30/900"),
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "teaching.context_processors.roles",
                "review.context_processors.due_now",
            ],
        },
    },
]

# Persistent connections (seconds; 0 opens one per request), checked before reuse
# so a connection the database dropped is replaced instead of failing a request.
# `make bench` measured them: without, the ceiling (/healthz) halves on SQLite and
# drops 8x on PostgreSQL, where pages lose 2.3-2.9x in requests/s.
CONN_MAX_AGE = env_int("DJANGO_CONN_MAX_AGE", 60)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that stops answering (rather than refusing) must not hold a
    # request until gunicorn kills its worker: give up connecting, answer 503 "retry".
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DJANGO_DB_CONNECT_TIMEOUT", 5, minimum=1
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server writes from several threads: wait for the lock instead of
    # failing, and take the write lock up front so transactions never upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # With persistent connections a connection's page cache outlives the request:
        # 32 MB of it plus memory-mapped reads made the CSV, statistics and progress
        # pages 1.2-2.3x faster in `make bench`, and changed nothing elsewhere.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32000; "
            "PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
    }
    # Tests use a file too: in-memory SQLite has neither WAL nor real locking.
    # One file per test run, so that two runs side by side never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds throttle counts, sessions (with Redis) and the navigation's due count.
# Local memory is per process: fine for one server, and for a fresh clone. Several app
# servers share Redis instead, where an outage is a miss (config/cache.py says why and
# how long a request may wait for it). Throttles then count nothing until Redis is back:
# they fail open rather than refuse a school its sign-ups, and the lock-out per username
# and address, in the database, still stops password guessing.
REDIS_URL = env_text("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        # Not echoed: the URL may hold Redis's password.
        raise SettingError("REDIS_URL: write redis://HOST:PORT/DB (or rediss://, unix://).")
    CACHES = {"default": {"BACKEND": "config.cache.ForgivingRedisCache", "LOCATION": REDIS_URL}}
    # Read from Redis, written through to the database: a session begun on one app
    # server continues on another, and survives Redis going away.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Email (password reset links): printed to the console in development, sent by SMTP
# otherwise. The timeout keeps an SMTP server that stops answering from holding a
# request until gunicorn kills its worker; a failed send is logged, the page still says
# "check your inbox".
if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# Reset emails asked for from one address (accounts/throttles.py): a school's forgetful
# class stays inside it, flooding an inbox does not.
THROTTLES["password_reset"] = env_rate("DJANGO_THROTTLE_PASSWORD_RESET", "20/3600")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The largest request body accepted, in bytes (config.middleware answers 413 above it,
# before reading a byte): room for the admin's explainer upload and any form. Django's
# own limits below cover form fields only; a multipart upload it would stream to disk
# whatever its size, so this is what stops a 200 MB POST.
MAX_REQUEST_BYTES = env_int("DJANGO_MAX_REQUEST_BYTES", 3 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
# Signed-in sessions end after this much inactivity; any request (an autosave
# included) renews them, so a student working on a quiz is never logged out.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_SECONDS", 2 * 60 * 60, minimum=60)
SESSION_RENEW_AFTER_SECONDS = 300
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# Every script is a static file: no inline script, no eval. Styles allow inline
# attributes for Bootstrap's progress bars and Django admin widgets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# No page uses these browser features: a script injected despite the CSP gets none.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a promise to browsers that is slow to undo: the operator opts in.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # check --deploy warns that the site cannot join the preload list: it is not
        # meant to until the operator asks, and CI fails on any warning.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOG_LEVEL = (env_text("DJANGO_LOG_LEVEL") or "WARNING").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise SettingError(
        f"DJANGO_LOG_LEVEL={LOG_LEVEL!r}: write DEBUG, INFO, WARNING, ERROR or CRITICAL."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": sys.stderr}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# Django's own hashers, then the one for the one-time passwords teachers hand out
# (teaching/passwords.py says why it may be fast). Listed last, it is never chosen for a
# password a person picks, and Django re-hashes with the first at the first sign-in.
ONE_TIME_PASSWORD_HASHER = "teaching.passwords.OneTimePasswordHasher"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    ONE_TIME_PASSWORD_HASHER,
]

# Tests hash passwords fast; real accounts keep Django's default hasher.
if "pytest" in sys.modules:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", ONE_TIME_PASSWORD_HASHER]
