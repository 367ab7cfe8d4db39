"""When a ticket is due: a reply target per category, the most urgent of a ticket's categories wins.

Pure (no ORM), so the data migration, the service and the bench generator compute it the same way. The
targets are hours after the customer's first unanswered message; ``KYCTRIAGE_DUE_HOURS`` in settings (a dict
of category code to hours, "" for tickets without a category) replaces any of them.
"""

from datetime import datetime, timedelta

DUE_HOURS: dict[str, float] = {
    "account_security_risk": 4,
    "identity_info_error": 8,
    "face_document_mismatch": 8,
    "document_requirements": 12,
    "face_recognition_failed": 12,
    "upload_network_failure": 12,
    "page_load_cache": 24,
    "device_unsupported": 24,
    "review_pending": 24,
    "other": 24,
    "": 24,  # no category applied yet (new, failed or unsure triage)
}


def due_hours_table(overrides: dict | None = None) -> dict[str, float]:
    return {**DUE_HOURS, **(overrides or {})}


def due_target_hours(codes, table: dict[str, float]) -> float:
    """The shortest target among the ticket's applied categories, the default one when it has none."""
    hours = [table.get(code, table[""]) for code in codes]
    return min(hours) if hours else table[""]


def due_at(waiting_since: datetime | None, codes, table: dict[str, float]) -> datetime | None:
    if waiting_since is None:
        return None
    return waiting_since + timedelta(hours=due_target_hours(codes, table))
