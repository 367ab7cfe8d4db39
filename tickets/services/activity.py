"""The ticket's activity log and its version: every agent-facing write records who did what and bumps both."""

from django.db.models import F

from ..models import Ticket, TicketActivity


def user_label(user) -> str:
    """How a colleague is named on the desk: their full name, else their user name ("" for the system)."""
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username()).strip()


def activity_record(ticket_id: int, kind: str, *, user=None, version: int = 0, **detail) -> TicketActivity:
    return TicketActivity.objects.create(ticket_id=ticket_id, kind=kind, user=user, username=user_label(user),
                                         version=version, detail=detail)


def ticket_version_bump(ticket_id: int) -> int:
    """One more version for a write that is not a field save (a category, a reply); returns the new one."""
    Ticket.objects.filter(pk=ticket_id).update(version=F("version") + 1)
    return Ticket.objects.filter(pk=ticket_id).values_list("version", flat=True).first() or 0


def ticket_activity_since(ticket_id: int, version: int) -> list[TicketActivity]:
    """What others changed after the version an agent loaded: shown when their save is refused."""
    return list(TicketActivity.objects.filter(ticket_id=ticket_id, version__gt=version).order_by("at", "id"))
