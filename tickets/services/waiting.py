"""Waiting for tickets to finish, for commands that must return only when triage is done."""

import time

from ..models import Ticket
from ..taxonomy import TicketStatus

DONE = (TicketStatus.TRIAGED, TicketStatus.FAILED)


def tickets_wait(ticket_ids, *, timeout: float, poll: float = 0.5) -> set[int]:
    """Block until every ticket is triaged or failed; returns the ids still open when time ran out."""
    pending = set(ticket_ids)
    deadline = time.monotonic() + timeout
    while pending:
        done = set(Ticket.objects.filter(pk__in=pending, status__in=DONE).values_list("pk", flat=True))
        pending -= done
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(poll)
    return pending
