"""Workflow changes agents make to tickets."""

from django.utils import timezone

from ..models import Ticket


def tickets_close(queryset) -> int:
    return queryset.exclude(workflow=Ticket.Workflow.CLOSED).update(workflow=Ticket.Workflow.CLOSED,
                                                                    closed_at=timezone.now())
