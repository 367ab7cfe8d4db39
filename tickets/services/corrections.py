"""Agents' corrections of categories: applied to the ticket and kept as training data."""

from django.db import transaction

from ..models import CategoryAssignment, Correction, Ticket, TicketActivity
from .activity import activity_record, ticket_version_bump
from .tickets import ticket_search_text_refresh


def category_assignment_changed(ticket: Ticket, code: str, *, added: bool, user=None) -> Correction:
    """An agent added or removed a category: the assignment becomes the agent's and the change is recorded."""
    with transaction.atomic():
        if added:
            CategoryAssignment.objects.update_or_create(
                ticket=ticket, code=code,
                defaults={"source": CategoryAssignment.Source.AGENT, "applied": True, "confidence": 1.0},
            )
        else:
            ticket.categories.filter(code=code).delete()
        ticket_search_text_refresh(ticket)
        version = ticket_version_bump(ticket.pk)
        ticket.version = version
        activity_record(ticket.pk, TicketActivity.Kind.CATEGORY, user=user, version=version, code=code, added=added)
        return Correction.objects.create(ticket=ticket, code=code, user=user,
                                         action=Correction.Action.ADD if added else Correction.Action.REMOVE)
