"""Settings: read from the environment, with embedded defaults that need no server (contract §4)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("KYCTRIAGE_DATA_DIR", str(BASE_DIR / "var"))).resolve()

# --- core -------------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "kyctriage-development-only-secret-key-do-not-use-in-production-0123456789"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
USING_DEVELOPMENT_SECRET = SECRET_KEY == _DEV_SECRET
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "tickets",  # first, so its admin templates (base_site, ticket pages) override the admin's own
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tickets.middleware.AgentLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: locks out a login after repeated failures
]

ROOT_URLCONF = "kyctriage.urls"
WSGI_APPLICATION = "kyctriage.wsgi.application"
ASGI_APPLICATION = "kyctriage.asgi.application"

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
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
_SQLITE_PATH = DATA_DIR / "kyctriage.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- files: attachments never live under a public URL ----------------------------------------
ATTACHMENT_STORAGE = env_str("KYCTRIAGE_ATTACHMENT_STORAGE", "local")  # local | s3
if ATTACHMENT_STORAGE == "local":
    _attachments = {
        # With KYCTRIAGE_STORAGE_KEY set, originals are encrypted at rest (Fernet) on the local disk.
        "BACKEND": "tickets.storage.EncryptedFileSystemStorage" if env_str("KYCTRIAGE_STORAGE_KEY")
        else "django.core.files.storage.FileSystemStorage",
        # base_url points nowhere that is routed: files are only served by permission-checked views.
        "OPTIONS": {"location": str(DATA_DIR / "attachments"), "base_url": "/private/",
                    "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    }
elif ATTACHMENT_STORAGE == "s3":
    _bucket = env_str("KYCTRIAGE_S3_BUCKET")
    if not _bucket:
        raise ImproperlyConfigured("KYCTRIAGE_ATTACHMENT_STORAGE=s3 needs KYCTRIAGE_S3_BUCKET (and AWS_* credentials).")
    _attachments = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": _bucket, "default_acl": "private", "querystring_auth": True,
                    "querystring_expire": 60, "file_overwrite": False,
                    "endpoint_url": env_str("KYCTRIAGE_S3_ENDPOINT_URL") or None,
                    "location": env_str("KYCTRIAGE_S3_PREFIX", "attachments")},
    }
else:
    raise ImproperlyConfigured("KYCTRIAGE_ATTACHMENT_STORAGE must be 'local' or 's3'.")

STORAGES = {
    "default": _attachments,
    "attachments": _attachments,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = DATA_DIR / "attachments"
MEDIA_URL = "/private/"  # never routed
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# --- auth, i18n -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("KYCTRIAGE_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("KYCTRIAGE_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("KYCTRIAGE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- email (replies to customers) -------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if env_str("EMAIL_HOST") else
    "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = str(DATA_DIR / "outbox")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("KYCTRIAGE_FROM_EMAIL", "KYC Support <kyc-support@localhost>")

# --- Celery -----------------------------------------------------------------------------------
# No broker configured: tasks run in-process, synchronously (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # With acks_late, a message taken by a worker that died is redelivered after this many seconds.
    "visibility_timeout": env_int("KYCTRIAGE_VISIBILITY_TIMEOUT", 600),
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# When the broker is down, publishing gives up after a few seconds: the ticket is already stored and the
# sweeper (beat, every 5 minutes) queues it again, so a web request or an MTA pipe never hangs on it.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("KYCTRIAGE_BROKER_TIMEOUT", 4)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5,
                                    "interval_max": 1.0}
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("KYCTRIAGE_LOG_LEVEL", "WARNING")},
    "loggers": {"tickets": {"level": env_str("KYCTRIAGE_LOG_LEVEL", "INFO"), "propagate": True}},
}

# --- production hardening (active when DEBUG is off) ------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain to HTTPS in browsers for good: the operator's decision (README).
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Product settings (thresholds, limits, schedules) live in tickets/conf.py with defaults in code.

# OCR (tickets/analysis/ocr reads these itself; checked here so a typo stops the web app and workers at start):
# the engine (auto picks per image by measurement), and ONNX Runtime threads per process (1: one worker per core).
KYCTRIAGE_OCR_ENGINE = env_choice("KYCTRIAGE_OCR_ENGINE", "auto", ("auto", "rapidocr", "tesseract"))
KYCTRIAGE_OCR_THREADS = env_int("KYCTRIAGE_OCR_THREADS", 1)
if KYCTRIAGE_OCR_THREADS < 1:
    raise ImproperlyConfigured("KYCTRIAGE_OCR_THREADS must be 1 or more (ONNX Runtime threads per worker process).")
