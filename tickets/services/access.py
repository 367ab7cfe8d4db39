"""The audit trail: who opened, exported, merged or deleted which identity data (AccessLog)."""

from ..models import AccessLog, Attachment


def audit_record(action: str, *, user=None, attachment: Attachment | None = None, ticket_id: int | None = None,
                 filename: str = "", detail: str = "", ip: str | None = None, username: str = "") -> AccessLog:
    """One audit entry; the user name is copied so the entry still says who after the user is deleted."""
    if user is not None and user.is_authenticated:
        username = user.get_username()
    else:
        user = None
    return AccessLog.objects.create(
        user=user, username=username[:150], attachment=attachment,
        ticket_id=ticket_id if ticket_id is not None else (attachment.ticket_id if attachment else None),
        filename=(filename or (attachment.filename if attachment else ""))[:255], action=action,
        detail=detail[:500], ip=ip or None)


def original_access_record(attachment: Attachment, *, user, ip: str | None,
                           action: str = AccessLog.Action.DOWNLOAD) -> AccessLog:
    return audit_record(action, user=user, attachment=attachment, ip=ip)


def ticket_unmasked_view_record(ticket, *, user, ip: str | None) -> AccessLog | None:
    """A supervisor opened a ticket page that shows unmasked identity data: logged (nothing to log otherwise)."""
    from ..models import Message

    holds = (ticket.attachments.exclude(unmasked_encrypted="").exists()
             or Message.objects.filter(ticket=ticket).exclude(unmasked_encrypted="").exists())
    if not holds:
        return None
    return audit_record(AccessLog.Action.VIEW_UNMASKED, user=user, ticket_id=ticket.pk,
                        detail=ticket.reference, ip=ip)


def export_unmasked_record(*, count: int, output: str) -> AccessLog:
    """An `export_tickets --unmasked` run: who ran it on this machine, how many tickets, where to."""
    import getpass

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return audit_record(AccessLog.Action.EXPORT_UNMASKED, detail="%d tickets to %s" % (count, output),
                        username="os:%s" % who)
