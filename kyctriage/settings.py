"""Settings: read from the environment, with embedded defaults that need no server (contract §4)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tickets.storage import attachment_storage_config

from .env import env_bool, env_choice, env_int, env_list, env_str
from .keys import fernet_key, generated_key, private_file, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("KYCTRIAGE_DATA_DIR", str(BASE_DIR / "var"))).resolve()

# --- core -------------------------------------------------------------------------------------
# DEBUG only when asked for. Production is DEBUG off with a server database: it must be given its keys.
# The embedded default (no DATABASE_URL, or SQLite) generates its keys into the data directory instead
# (kyctriage/keys.py), so the contract's commands run with no environment at all.
DEBUG = env_bool("DJANGO_DEBUG", False)
_DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED = not _DATABASE_URL or _DATABASE_URL.startswith("sqlite")
PRODUCTION = not DEBUG and not EMBEDDED
_DEV_SECRET = "kyctriage-development-only-secret-key-do-not-use-in-production-0123456789"
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off and DATABASE_URL "
                                   "points at a database server.")
    SECRET_KEY = _DEV_SECRET if DEBUG else generated_key(DATA_DIR, "DJANGO_SECRET_KEY", secret_key, warn=True)
# Not given in the environment: the mailbox key may be derived from it (tickets/crypto.py).
USING_DEVELOPMENT_SECRET = not env_str("DJANGO_SECRET_KEY")
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
        _DATABASE_URL or f"sqlite:///{_SQLITE_PATH}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked".
    # The database file is private to the service user (0600; SQLite gives its -wal/-shm files the same mode).
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        private_file(Path(DATABASES["default"]["NAME"]))
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- files: attachments never live under a public URL ----------------------------------------
# Originals, previews and raw mail: a private folder under KYCTRIAGE_DATA_DIR (one machine), or a private S3 bucket
# under a prefix (KYCTRIAGE_ATTACHMENT_STORAGE=s3) that web and workers on any number of machines share; either is
# always encrypted at rest (KYCTRIAGE_STORAGE_KEY). The choice and its checks live in tickets/storage.py.
# Fernet key(s), newest first, that encrypt originals, raw mail and previews on disk and the unmasked
# identity data kept for supervisors (tickets/vault.py). Required in production; generated otherwise.
KYCTRIAGE_STORAGE_KEYS = env_list("KYCTRIAGE_STORAGE_KEY", [])
if not KYCTRIAGE_STORAGE_KEYS:
    if PRODUCTION or env_str("KYCTRIAGE_ATTACHMENT_STORAGE", "local") == "s3":
        # a key generated into this machine's data folder could not decrypt what another machine wrote to the bucket
        raise ImproperlyConfigured(
            "KYCTRIAGE_STORAGE_KEY must be set when DJANGO_DEBUG is off and DATABASE_URL points at a database "
            "server, and whenever attachments are kept in S3 (every machine needs the same key): it encrypts "
            "identity documents at rest. Generate one with python -c 'from "
            "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
    KYCTRIAGE_STORAGE_KEYS = [generated_key(DATA_DIR, "KYCTRIAGE_STORAGE_KEY", fernet_key, warn=not DEBUG)]
_attachments = attachment_storage_config(os.environ, DATA_DIR, encrypted=True)

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

# --- IMAP mailboxes ---------------------------------------------------------------------------
# Host names a mailbox may point at (".example.com" allows its subdomains); empty allows any host.
KYCTRIAGE_IMAP_ALLOWED_HOSTS = [h.lower() for h in env_list("KYCTRIAGE_IMAP_ALLOWED_HOSTS", [])]
# Plaintext IMAP (security "none") sends the password in clear: only for local testing, never in production.
KYCTRIAGE_IMAP_ALLOW_PLAINTEXT = env_bool("KYCTRIAGE_IMAP_ALLOW_PLAINTEXT", DEBUG)
if PRODUCTION and KYCTRIAGE_IMAP_ALLOW_PLAINTEXT:
    raise ImproperlyConfigured("KYCTRIAGE_IMAP_ALLOW_PLAINTEXT cannot be on in production (DJANGO_DEBUG off with a "
                               "database server): use TLS or STARTTLS for the mailboxes.")

# --- Celery -----------------------------------------------------------------------------------
# No broker configured: tasks run in-process, synchronously (the embedded default). RabbitMQ is the
# recommended broker (README, compose.yaml): a worker that dies closes its connection and RabbitMQ hands its
# unacknowledged tasks to another worker at once; Redis can only redeliver them after the visibility timeout.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:  # eager tasks still take a producer: an in-memory one, not amqp://localhost
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Bounded work. The soft limit raises inside the task (its failure is recorded on the ticket); the hard limit
# replaces the pool process. Both stay under the broker's redelivery window (checked below), so a slow task
# is never handed to a second worker while the first one still runs it.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("KYCTRIAGE_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("KYCTRIAGE_TASK_TIME_LIMIT", 300)
# Transient errors are retried with exponential backoff and jitter, at most this many seconds apart.
KYCTRIAGE_RETRY_BACKOFF_MAX = env_int("KYCTRIAGE_RETRY_BACKOFF_MAX", 60)
# A task may be held unacknowledged for its hard limit plus its longest retry countdown.
_LONGEST_HOLD = CELERY_TASK_TIME_LIMIT + KYCTRIAGE_RETRY_BACKOFF_MAX
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis only: a task taken by a worker that died is redelivered after this many seconds (derived from
    # the time limits unless set). RabbitMQ ignores it and requeues as soon as the connection drops.
    "visibility_timeout": env_int("KYCTRIAGE_VISIBILITY_TIMEOUT", _LONGEST_HOLD * 5 // 4),
}
# RabbitMQ: a worker whose machine vanished without closing its connection is declared dead after about two
# missed heartbeats (~60 s), and its tasks requeued. RabbitMQ's own consumer_timeout (30 min by default)
# must stay above the longest hold, or the broker closes the channel of a worker running a long task.
CELERY_BROKER_HEARTBEAT = env_int("KYCTRIAGE_BROKER_HEARTBEAT", 30)
KYCTRIAGE_BROKER_CONSUMER_TIMEOUT = env_int("KYCTRIAGE_BROKER_CONSUMER_TIMEOUT", 1800)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# When the broker is down, publishing gives up after a few seconds: the ticket is already stored and the
# sweeper (beat, every 5 minutes) queues it again, so a web request or an MTA pipe never hangs on it.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("KYCTRIAGE_BROKER_TIMEOUT", 4)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5,
                                    "interval_max": 1.0}
CELERY_TIMEZONE = TIME_ZONE
# Every beat entry expires after its own period: while the workers are down, polls do not pile up.
_MAIL_POLL_SECONDS = env_int("KYCTRIAGE_MAIL_POLL_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    name: {"task": task, "schedule": float(seconds), "options": {"expires": float(seconds)}}
    for name, task, seconds in (
        ("sweep-stuck-tickets", "tickets.tasks.tickets_sweep", 300),
        ("poll-mailboxes", "tickets.tasks.mailboxes_poll", _MAIL_POLL_SECONDS),
        ("send-outbox", "tickets.tasks.outbound_mail_requeue", 300),
        ("purge-originals", "tickets.tasks.originals_purge", 24 * 3600),
        ("retrain-triage-model", "tickets.tasks.triage_model_retrain", 6 * 3600),
        # retention (issue 11): open tickets nobody touches are closed; files no record points at go
        ("close-stale-tickets", "tickets.retention_tasks.tickets_close_stale", 24 * 3600),
        ("sweep-orphan-files", "tickets.retention_tasks.files_orphans_sweep", 24 * 3600),
    )
}
_celery_problems = [
    problem for failed, problem in (
        (not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT,
         "KYCTRIAGE_TASK_SOFT_TIME_LIMIT must be above 0 and below KYCTRIAGE_TASK_TIME_LIMIT"),
        (CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= _LONGEST_HOLD,
         "KYCTRIAGE_VISIBILITY_TIMEOUT must be above KYCTRIAGE_TASK_TIME_LIMIT + KYCTRIAGE_RETRY_BACKOFF_MAX "
         "(%d s), or Redis hands a running task to a second worker" % _LONGEST_HOLD),
        (KYCTRIAGE_BROKER_CONSUMER_TIMEOUT <= _LONGEST_HOLD,
         "KYCTRIAGE_BROKER_CONSUMER_TIMEOUT (RabbitMQ's consumer_timeout) must be above "
         "KYCTRIAGE_TASK_TIME_LIMIT + KYCTRIAGE_RETRY_BACKOFF_MAX (%d s)" % _LONGEST_HOLD),
        (_MAIL_POLL_SECONDS <= 0, "KYCTRIAGE_MAIL_POLL_SECONDS must be above 0"),
        (CELERY_BROKER_URL.split(":", 1)[0] not in ("", "redis", "rediss", "amqp", "amqps", "pyamqp", "memory"),
         "CELERY_BROKER_URL must be an amqp:// (RabbitMQ, recommended) or redis:// URL"),
    ) if failed
]
if _celery_problems:
    raise ImproperlyConfigured("; ".join(_celery_problems) + ".")

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
