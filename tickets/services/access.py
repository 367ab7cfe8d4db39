"""The audit trail of who opened which identity document."""

from ..models import AccessLog, Attachment


def original_access_record(attachment: Attachment, *, user, ip: str | None,
                           action: str = AccessLog.Action.DOWNLOAD) -> AccessLog:
    return AccessLog.objects.create(user=user, attachment=attachment, ticket_id=attachment.ticket_id,
                                    filename=attachment.filename, action=action, ip=ip or None)
