"""Internal notes: written by agents for agents, kept in the thread, never mailed."""

from django.db import transaction

from ..models import Note, Ticket, TicketActivity
from .activity import activity_record


def note_add(ticket: Ticket, *, body: str, user=None) -> Note:
    """A note changes no field of the ticket, so it does not bump the version: it cannot collide with a save."""
    with transaction.atomic():
        note = Note.objects.create(ticket=ticket, author=user, body=body.strip())
        activity_record(ticket.pk, TicketActivity.Kind.NOTE, user=user, version=ticket.version, note=note.pk)
    return note
