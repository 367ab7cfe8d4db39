"""The audit trail: who opened, exported, merged or deleted which identity data (AccessLog)."""

from ..models import AccessLog, Attachment


def audit_record(action: str, *, user=None, attachment: Attachment | None = None, ticket_id: int | None = None,
                 filename: str = "", detail: str = "", ip: str | None = None) -> AccessLog:
    """One audit entry; the user name is copied so the entry still says who after the user is deleted."""
    username = user.get_username() if user is not None and user.is_authenticated else ""
    return AccessLog.objects.create(
        user=user if username else None, username=username, attachment=attachment,
        ticket_id=ticket_id if ticket_id is not None else (attachment.ticket_id if attachment else None),
        filename=(filename or (attachment.filename if attachment else ""))[:255], action=action,
        detail=detail[:500], ip=ip or None)


def original_access_record(attachment: Attachment, *, user, ip: str | None,
                           action: str = AccessLog.Action.DOWNLOAD) -> AccessLog:
    return audit_record(action, user=user, attachment=attachment, ip=ip)
