"""Settings shared by every environment; all deployment choices come from the environment."""

import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "feedback",
    "api",
    "pwa",
]

MIDDLEWARE = [
    "api.middleware.CloseConnectionsMiddleware",  # outermost: closes on the view's own thread
    "api.middleware.PlainHttpCoopMiddleware",  # first, so it sees SecurityMiddleware's headers
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # CommonMiddleware, redirecting a slash-less /api/ path with 308 so POST bodies survive.
    "api.middleware.ApiSlashMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "api.middleware.ApiNotFoundMiddleware",
]

ROOT_URLCONF = "backend.urls"
ASGI_APPLICATION = "backend.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "backend" / "templates"],  # overrides of third-party pages
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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0, conn_health_checks=True
    )
}
# No persistent connections: under ASGI each request runs on a thread of its own that ends with
# the request, so a kept connection is never reused, only left open until the garbage collector
# finds it (Django's docs; api.middleware.CloseConnectionsMiddleware closes it on that thread).
# The live sockets' threads keep theirs (feedback.live.hub.KeptConnection).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout let Daphne's threads write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# The live layer (docs/live.md): a connection counts in presence this long without a heartbeat;
# a socket holding back frames past these unread bytes is held, then closed as too slow.
ROUNDS_PRESENCE_TTL = float(os.environ.get("ROUNDS_PRESENCE_TTL", "45"))
ROUNDS_PRESENCE_REFRESH = float(os.environ.get("ROUNDS_PRESENCE_REFRESH", "15"))
ROUNDS_LIVE_SOFT_BYTES = int(os.environ.get("ROUNDS_LIVE_SOFT_BYTES", str(256 * 1024)))
ROUNDS_LIVE_HARD_BYTES = int(os.environ.get("ROUNDS_LIVE_HARD_BYTES", str(4 * 1024 * 1024)))
ROUNDS_LIVE_MAX_HELD = int(os.environ.get("ROUNDS_LIVE_MAX_HELD", "200"))
# Several Rounds installs (or test runs) may share one Redis: the prefix keeps them apart.
CHANNEL_PREFIX = os.environ.get("ROUNDS_CHANNEL_PREFIX", "rounds")
# channels-redis' pub/sub layer by default; "core" picks its list-based RedisChannelLayer
# (docs/deployment.md compares the two, measured by bench/bench_fanout.py --redis --layer).
REDIS_LAYERS = {
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}
REDIS_CHANNEL_LAYER = os.environ.get("REDIS_CHANNEL_LAYER", "pubsub")
if REDIS_CHANNEL_LAYER not in REDIS_LAYERS:
    raise ImproperlyConfigured(
        f"REDIS_CHANNEL_LAYER={REDIS_CHANNEL_LAYER!r}: set it to one of {', '.join(REDIS_LAYERS)}."
    )
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": REDIS_LAYERS[REDIS_CHANNEL_LAYER],
            "CONFIG": {"hosts": [REDIS_URL], "prefix": CHANNEL_PREFIX},
        }
    }
    CACHES = {
        "default": {
            # Fails open to a per-process cache while Redis is down (logins never 500).
            "BACKEND": "backend.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CHANNEL_PREFIX,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    # channels' InMemoryChannelLayer scans every channel on each receive (O(N^2) fan-out);
    # ours is O(N) (bench/reports/layer.md).
    CHANNEL_LAYERS = {"default": {"BACKEND": "api.layers.FastInMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {
        # Active wherever the caller passes the user (createsuperuser, changepassword, ...).
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: 20 MB photos plus multipart overhead; the image pipeline enforces the real limit.
# An upload is an unredacted photo, so it is never spooled to disk: api.middleware.BodyLimit
# refuses bodies over ROUNDS_MAX_REQUEST_BYTES (413) before Django reads them, everything below
# stays in memory (Django's body spool and its memory upload handler both hold up to
# FILE_UPLOAD_MAX_MEMORY_SIZE), and backend/server.py keeps Twisted off temporary files too.
ROUNDS_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ROUNDS_MAX_REQUEST_BYTES = 26 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = ROUNDS_MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = ROUNDS_MAX_REQUEST_BYTES
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]

# Shared ward tablets: a session dies after 15 idle minutes (each request renews it).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 15 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "api.errors.csrf_failure"  # JSON under /api/, Django's page elsewhere

# API tokens (scripts, tablets) expire this many days after they were issued.
ROUNDS_TOKEN_TTL_DAYS = float(os.environ.get("ROUNDS_TOKEN_TTL_DAYS", 30))

# Single sign-on (django-allauth: OIDC + SAML; docs/deployment.md). Providers, the IdP-group ->
# role map and the break-glass accounts come from the environment (backend/settings/sso.py).
from . import sso as _sso  # noqa: E402

ROUNDS_SSO_PROVIDERS = _sso.providers()
ROUNDS_SSO_ROLE_MAP = _sso.role_map()
# Set: password sign-in (PWA and tokens) only for these usernames; everyone else uses SSO.
ROUNDS_BREAK_GLASS_ACCOUNTS = _sso.break_glass()
SOCIALACCOUNT_PROVIDERS = _sso.socialaccount_providers(ROUNDS_SSO_PROVIDERS)
# Passwords: Django's ModelBackend only (allauth's backend would check each password twice and
# its own rate limits would count next to ours); SSO sign-ins log in through it too.
ACCOUNT_ADAPTER = "api.sso.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "api.sso.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never link an SSO identity to an account by email
SOCIALACCOUNT_AUTO_SIGNUP = True  # just-in-time accounts
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the login URL takes a POST (with CSRF) from the PWA
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", 15 * 60))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ErrorAwareSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_THROTTLE_RATES": {"ratings": "120/min", "phi": "600/min", "photo_check": "60/min"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Rounds API",
    "DESCRIPTION": "Field capture, live co-design sessions and an evidence-based backlog.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI's default validator badge sends the schema URL to validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Two different `status` choice sets: a backlog item's workflow and a sync item's outcome.
    "ENUM_NAME_OVERRIDES": {
        "BacklogStatusEnum": "feedback.models.backlog.STATUSES",
        "SyncOutcomeEnum": ["created", "duplicate", "conflict", "rejected"],
    },
}

# Priority weights (docs/priority.md); any key overrides the default.
ROUNDS_PRIORITY_WEIGHTS: dict[str, float] = {}

# Background jobs: django-tasks with its database backend; `manage.py rounds_worker` runs them
# (docs/jobs.md). Webhook retries wait ROUNDS_WEBHOOK_BACKOFF_SECONDS * 2^(attempt-1).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROUNDS_WEBHOOK_BACKOFF_SECONDS = float(os.environ.get("ROUNDS_WEBHOOK_BACKOFF_SECONDS", 30))
ROUNDS_SCHEDULER_INTERVAL = float(os.environ.get("ROUNDS_SCHEDULER_INTERVAL", 15))
ROUNDS_JOB_PERIODS: dict[str, float] = {}

GUEST_TOKEN_MAX_AGE = 8 * 3600

# AI output feedback (docs/output-feedback.md): anonymous flags per tool key per minute, and a
# burst = this many not-helpful flags on one model version within this many minutes.
ROUNDS_ANONYMOUS_FLAGS_PER_MINUTE = int(os.environ.get("ROUNDS_ANONYMOUS_FLAGS_PER_MINUTE", 30))
# Widget flags (tool key + reporter token) are stored in batches by api/flag_intake.py; "0" sends
# them through the DRF view one by one instead (docs/output-feedback.md).
ROUNDS_FLAG_INTAKE = os.environ.get("ROUNDS_FLAG_INTAKE", "1") == "1"
ROUNDS_FLAG_BURST = {
    "count": int(os.environ.get("ROUNDS_FLAG_BURST_COUNT", 5)),
    "minutes": int(os.environ.get("ROUNDS_FLAG_BURST_MINUTES", 15)),
}
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "api.logfilters.RedactQueryTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.channels.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "presidio-analyzer": {"level": "ERROR"},
    },
}
# SIEM: each committed audit row (and the chain head, hourly) as one JSON line on the
# `rounds.audit` logger, to UDP syslog and/or a JSON-lines file when these are set.
_siem: dict[str, dict[str, object]] = {}
if os.environ.get("ROUNDS_SIEM_SYSLOG"):
    _host, _, _port = os.environ["ROUNDS_SIEM_SYSLOG"].rpartition(":")
    _siem["siem_syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": (_host, int(_port or 514)),
        "formatter": "siem",
    }
if os.environ.get("ROUNDS_SIEM_JSONL"):
    _siem["siem_jsonl"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": os.environ["ROUNDS_SIEM_JSONL"],
        "formatter": "siem",
    }
LOGGING["formatters"] = {"siem": {"format": "rounds-audit: %(message)s"}}
LOGGING["handlers"].update(_siem)  # type: ignore[attr-defined]
LOGGING["loggers"]["rounds.audit"] = {  # type: ignore[index]
    "handlers": list(_siem),
    "level": "INFO" if _siem else "WARNING",
    "propagate": False,
}

AUTH_USER_MODEL = "feedback.User"

# Serve app files straight from the apps (no collectstatic needed for `make run`);
# production additionally runs collectstatic for compressed, hashed copies.
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
WHITENOISE_AUTOREFRESH = False
