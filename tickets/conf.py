"""Product thresholds and limits with defaults in code, overridable by settings or environment.

Read lazily (``conf.MAX_MESSAGE_BYTES``) so tests can override settings: a setting named
``KYCTRIAGE_<NAME>`` wins, then the environment variable of the same name, then the default here.
"""

import os

from django.conf import settings

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
    "SUGGEST_CONFIDENCE": 0.3,
    "SUGGESTED_REPLIES": 3,
    # 0 stores tickets without queueing analysis (bulk imports, benchmarks); 'retriage --all' processes them later
    "AUTO_PROCESS": 1,
    # pipeline robustness
    "STUCK_AFTER_SECONDS": 15 * 60,
    "MAX_PIPELINE_ATTEMPTS": 3,
    "WAIT_TIMEOUT_SECONDS": 30 * 60,
    # mail polling
    "MAIL_POLL_SECONDS": 60,
    # data protection
    "RETENTION_DAYS": 90,
    # open or waiting tickets with no activity for this many days are closed (then retention applies); 0: never
    "CLOSE_STALE_DAYS": 60,
    # files in storage that no record points at are removed by the sweep once they are this old
    "ORPHAN_GRACE_SECONDS": 3600,
}

_PARSERS = {int: int, float: float, str: str}


class _Conf:
    def __getattr__(self, name: str):
        if name not in DEFAULTS:
            raise AttributeError(name)
        key = "KYCTRIAGE_" + name
        if hasattr(settings, key):
            return getattr(settings, key)
        default = DEFAULTS[name]
        raw = os.environ.get(key)
        if raw is None or raw == "":
            return default
        return _PARSERS[type(default)](raw)


conf = _Conf()
