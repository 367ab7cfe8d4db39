"""Agents' corrections of categories: applied to the ticket and kept as training data."""

from django.db import transaction

from ..models import CategoryAssignment, Correction, Ticket
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
        return Correction.objects.create(ticket=ticket, code=code, user=user,
                                         action=Correction.Action.ADD if added else Correction.Action.REMOVE)
