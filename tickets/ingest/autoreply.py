"""Recognise automatic mail, so the desk does not open tickets for bounces and out-of-office replies."""
from __future__ import annotations

import re
from collections.abc import Callable

_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto[- ]?reply|autoreply|out of (the )?office|undeliverable|undelivered mail|"
    r"delivery status notification|mail delivery failed|returned mail|自动回复|自動回覆|自动答复|退信|系统退信)\b",
    re.IGNORECASE,
)
_DAEMONS = ("mailer-daemon", "postmaster", "mail-daemon", "maildaemon")
_REPORTS = {
    "delivery-status": "delivery-status report (bounce)",
    "disposition-notification": "read receipt (disposition-notification report)",
    "feedback-report": "spam complaint (feedback-report)",
}


def auto_reply_reason(
    header: Callable[[str], str], from_address: str, content_type: str, report_type: str, subject: str
) -> str:
    """Why a message was sent by a machine, or "" when it looks written by a person."""
    auto_submitted = header("Auto-Submitted").lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return "Auto-Submitted: %s" % auto_submitted
    for name in ("X-Autoreply", "X-Autorespond", "X-Autorespond-Type"):
        if header(name):
            return "%s header present" % name
    precedence = header("Precedence").lower().strip()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return "Precedence: %s" % precedence
    if header("X-Auto-Response-Suppress").lower() in ("all", "oof") and _SUBJECT.match(subject):
        return "automatic reply (X-Auto-Response-Suppress and subject)"
    local = from_address.split("@", 1)[0]
    if local in _DAEMONS:
        return "sender is %s" % from_address
    if content_type == "multipart/report":
        return _REPORTS.get(report_type, "automatic report (multipart/report %s)" % (report_type or "without report-type"))
    if header("List-Id"):
        return "mailing list message (List-Id: %s)" % header("List-Id")[:80]
    if header("Return-Path").strip() == "<>":
        return "empty Return-Path (sent by a mail system)"
    if _SUBJECT.match(subject):
        return "subject looks automatic: %s" % subject[:80]
    return ""
