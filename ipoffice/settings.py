"""Django settings for ipoffice.

Everything that differs between a laptop demo, CI and production comes from the environment:
``DATABASE_URL`` (default: SQLite under the data directory), ``IPOFFICE_DATA_DIR``,
``IPOFFICE_SECRET_KEY``, ``IPOFFICE_DEBUG``, ``IPOFFICE_ALLOWED_HOSTS``, ``REDIS_URL`` (optional cache), and for mail
``IPOFFICE_EMAIL_BACKEND``, ``IPOFFICE_EMAIL_HOST``, ``IPOFFICE_FROM_EMAIL``, ``IPOFFICE_SITE_URL``.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir() -> Path:
    """Where the embedded database and the secret key live (``$XDG_DATA_HOME/ipoffice`` by default)."""
    configured = os.environ.get("IPOFFICE_DATA_DIR")
    if configured:
        path = Path(configured)
    else:
        xdg = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        path = Path(xdg) / "ipoffice"
    path.mkdir(parents=True, exist_ok=True)
    return path


DATA_DIR = _data_dir()


def _secret_key() -> str:
    """Take the key from the environment, else keep a generated one beside the database."""
    if os.environ.get("IPOFFICE_SECRET_KEY"):
        return os.environ["IPOFFICE_SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("IPOFFICE_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("IPOFFICE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "ipoffice.core",
    "ipoffice.regions",
    "ipoffice.entities",
    "ipoffice.accounts",
    "ipoffice.patents",
    "ipoffice.trademarks",
    "ipoffice.indicators",
    "ipoffice.navigation",
    "ipoffice.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ipoffice.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ipoffice.urls"
WSGI_APPLICATION = "ipoffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipoffice.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'ipoffice.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # page cache, memory-mapped reads and in-memory temporary tables: set per connection by ipoffice.core.sqlite
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # Session settings for search: no JIT (it compiles the facet and hit queries anew each time, adding 50 to
    # 200 ms), sorts and hash aggregates over a large hit set in memory, and room for the temporary hit table.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c work_mem=32MB -c temp_buffers=64MB")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Mail (alert digests of watch lists): printed on the console unless a backend is configured.
EMAIL_BACKEND = os.environ.get("IPOFFICE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("IPOFFICE_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("IPOFFICE_FROM_EMAIL", "ipoffice <noreply@localhost>")
IPOFFICE_SITE_URL = os.environ.get("IPOFFICE_SITE_URL", "http://localhost:8000")  # for the links in mails

# Chinese first, English beside it.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ipoffice.accounts.permissions.ModelPermissionsOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "ipoffice.core.api.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("IPOFFICE_ANON_RATE", "600/hour"),
                               "login": os.environ.get("IPOFFICE_LOGIN_RATE", "20/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ipoffice.core.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ipoffice API",
    "DESCRIPTION": "Regions, entities and the IP registries of the regional IP administration.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
