"""Product thresholds and limits with defaults in code, overridable by settings or environment.

Read lazily (``conf.MAX_MESSAGE_BYTES``) so tests can override settings: a setting named
``KYCTRIAGE_<NAME>`` wins, then the environment variable of the same name, then the default here.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kyctriage.env import env_float, env_int, env_str

DEFAULTS: dict[str, object] = {
    # ingestion limits
    "MAX_MESSAGE_BYTES": 50 * 1024 * 1024,
    "MAX_ATTACHMENTS": 20,
    "MAX_ATTACHMENT_BYTES": 25 * 1024 * 1024,
    # analysis limits
    "MAX_PIXELS": 60_000_000,
    "ANALYSIS_LONG_SIDE": 1600,
    "PDF_MAX_PAGES": 2,
    # triage: categories at or above this confidence are applied; lower ones are only suggested
    "AUTO_APPLY_CONFIDENCE": 0.5,
    "SUGGESTED_REPLIES": 3,
    # 0 stores tickets without queueing analysis (bulk imports, benchmarks); 'retriage --all' processes them later
    "AUTO_PROCESS": 1,
    # pipeline robustness
    "STUCK_AFTER_SECONDS": 15 * 60,
    "MAX_PIPELINE_ATTEMPTS": 3,
    # a task started this many times without finishing (worker lost, hard time limit) is closed as failed
    "MAX_ANALYSIS_ATTEMPTS": 3,
    "MAX_TRIAGE_ATTEMPTS": 3,
    # one tesseract run is abandoned after this many seconds (kept well under the task's soft time limit)
    "OCR_TIMEOUT_SECONDS": 60.0,
    "WAIT_TIMEOUT_SECONDS": 30 * 60,
    # data protection
    "RETENTION_DAYS": 90,
    # open or waiting tickets with no activity for this many days are closed (then retention applies); 0: never
    "CLOSE_STALE_DAYS": 60,
    # files in storage that no record points at are removed by the sweep once they are this old
    "ORPHAN_GRACE_SECONDS": 3600,
}

_READERS = {int: env_int, float: env_float, str: env_str}


class _Conf:
    def __getattr__(self, name: str):
        if name not in DEFAULTS:
            raise AttributeError(name)
        key = "KYCTRIAGE_" + name
        if hasattr(settings, key):
            return getattr(settings, key)
        default = DEFAULTS[name]
        return _READERS[type(default)](key, default)

    def validate(self) -> None:
        """Read every value once at start (TicketsConfig.ready), so a bad one stops the process, named."""
        values = {name: getattr(self, name) for name in DEFAULTS}
        if not 0 < values["OCR_TIMEOUT_SECONDS"] < settings.CELERY_TASK_SOFT_TIME_LIMIT:
            raise ImproperlyConfigured(
                "KYCTRIAGE_OCR_TIMEOUT_SECONDS (%s) must be above 0 and below KYCTRIAGE_TASK_SOFT_TIME_LIMIT (%s), "
                "so a stuck OCR run fails the attachment before the task is stopped"
                % (values["OCR_TIMEOUT_SECONDS"], settings.CELERY_TASK_SOFT_TIME_LIMIT))


conf = _Conf()
