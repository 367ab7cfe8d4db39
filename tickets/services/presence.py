"""Who else has a ticket open: one row per (ticket, agent), refreshed by the page while it is open."""

from datetime import timedelta

from django.utils import timezone

from ..models import TicketPresence

# the page refreshes every PRESENCE_REFRESH_SECONDS; a row older than PRESENCE_TTL_SECONDS is a closed tab
PRESENCE_REFRESH_SECONDS = 15
PRESENCE_TTL_SECONDS = 45


def presence_touch(ticket_id: int, user, state: str = TicketPresence.State.VIEWING) -> None:
    if state not in TicketPresence.State.values:
        state = TicketPresence.State.VIEWING
    now = timezone.now()
    TicketPresence.objects.update_or_create(ticket_id=ticket_id, user=user, defaults={"state": state, "seen_at": now})
    # the agent's rows of tickets they have left: the table stays one row per open tab
    TicketPresence.objects.filter(user=user, seen_at__lt=now - timedelta(seconds=PRESENCE_TTL_SECONDS)).delete()


def presence_leave(ticket_id: int, user) -> None:
    TicketPresence.objects.filter(ticket_id=ticket_id, user=user).delete()


def presence_others(ticket_id: int, user) -> list[TicketPresence]:
    """The other agents on this ticket now, replying first."""
    since = timezone.now() - timedelta(seconds=PRESENCE_TTL_SECONDS)
    rows = (TicketPresence.objects.filter(ticket_id=ticket_id, seen_at__gte=since).exclude(user=user)
            .select_related("user"))
    return sorted(rows, key=lambda row: (row.state != TicketPresence.State.REPLYING, row.user.get_username()))
