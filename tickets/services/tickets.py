"""Workflow changes agents make to tickets, and the ticket's own derived fields."""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from ..models import Attachment, CategoryAssignment, Message, Note, Ticket, TicketActivity
from .activity import activity_record, ticket_activity_since, user_label

# what an agent may change on the ticket page; each change is one activity entry
TICKET_EDITABLE_FIELDS = ("workflow", "assignee", "subject", "customer_email", "customer_name", "language")
CUSTOMER_FIELDS = ("subject", "customer_email", "customer_name", "language")


def ticket_search_text_refresh(ticket: Ticket) -> None:
    """Keep one searchable text per ticket (subject, customer, messages, OCR) so the queue searches one column.

    Also the queue's other derived fields: the top confidence, since when the customer waits and when the ticket
    is due (its categories or thread changed, so these may have too).
    """
    parts = [ticket.subject, ticket.customer_email, ticket.customer_name]
    parts += list(ticket.messages.values_list("text_body", flat=True))
    parts += list(ticket.attachments.values_list("filename", flat=True))
    parts += list(ticket.attachments.exclude(ocr_text="").values_list("ocr_text", flat=True))
    text = "\n".join(p for p in parts if p)[:200_000]
    top = ticket.categories.filter(applied=True).aggregate(top=Max("confidence"))["top"]
    Ticket.objects.filter(pk=ticket.pk).update(search_text=text, top_confidence=top, **ticket_due_fields(ticket))


def ticket_waiting_since(ticket: Ticket):
    """Arrival of the ticket, or of the customer's first message after our last reply; None once we replied."""
    last_reply = (ticket.messages.filter(direction=Message.Direction.OUTBOUND).order_by("-sent_at")
                  .values_list("sent_at", flat=True).first())
    if last_reply is None:
        return ticket.received_at
    return (ticket.messages.filter(direction=Message.Direction.INBOUND, sent_at__gt=last_reply)
            .order_by("sent_at").values_list("sent_at", flat=True).first())


def ticket_due_fields(ticket: Ticket) -> dict:
    """waiting_since and due_at as the queue orders and colours them (targets in tickets/due.py)."""
    from django.conf import settings

    from ..due import due_at, due_hours_table

    waiting_since = ticket_waiting_since(ticket)
    codes = ticket.categories.filter(applied=True).values_list("code", flat=True)
    table = due_hours_table(getattr(settings, "KYCTRIAGE_DUE_HOURS", None))
    return {"waiting_since": waiting_since, "due_at": due_at(waiting_since, list(codes), table)}


def tickets_due_refresh(batch_size: int = 500) -> int:
    """Due times of every ticket not closed, again: after KYCTRIAGE_DUE_HOURS changed. Returns how many changed."""
    changed = 0
    ids = list(Ticket.objects.exclude(workflow=Ticket.Workflow.CLOSED).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            for ticket in Ticket.objects.filter(pk__in=ids[start:start + batch_size]).only(
                    "pk", "received_at", "waiting_since", "due_at").select_for_update():
                fields = ticket_due_fields(ticket)
                if fields != {"waiting_since": ticket.waiting_since, "due_at": ticket.due_at}:
                    changed += Ticket.objects.filter(pk=ticket.pk).update(**fields)
    return changed


class StaleTicket(Exception):
    """The ticket changed after the agent loaded it: their save is refused, with what changed since."""

    def __init__(self, ticket: Ticket, changes: list[TicketActivity]):
        super().__init__("ticket %s is at version %d" % (ticket.reference, ticket.version))
        self.ticket = ticket
        self.changes = changes


def ticket_lock_current(ticket_id: int, expected_version: int) -> Ticket:
    """Lock the row and check the version the agent read (inside a transaction); StaleTicket if it moved on."""
    current = Ticket.objects.select_for_update().get(pk=ticket_id)
    if current.version != expected_version:
        raise StaleTicket(current, ticket_activity_since(ticket_id, expected_version))
    return current


def ticket_update(ticket_id: int, *, expected_version: int, changes: dict, user=None) -> Ticket:
    """An agent's save of the ticket page: refused when stale, else applied with one activity entry per change."""
    with transaction.atomic():
        current = ticket_lock_current(ticket_id, expected_version)
        changed = [name for name in TICKET_EDITABLE_FIELDS
                   if name in changes and getattr(current, name) != changes[name]]
        if not changed:
            return current
        version = current.version + 1
        if "workflow" in changed:
            activity_record(current.pk, TicketActivity.Kind.STATUS, user=user, version=version,
                            old=current.workflow, new=changes["workflow"])
            current.closed_at = timezone.now() if changes["workflow"] == Ticket.Workflow.CLOSED else None
        if "assignee" in changed:
            activity_record(current.pk, TicketActivity.Kind.ASSIGNMENT, user=user, version=version,
                            old=user_label(current.assignee), new=user_label(changes["assignee"]))
        customer = [name for name in changed if name in CUSTOMER_FIELDS]
        if customer:
            activity_record(current.pk, TicketActivity.Kind.CUSTOMER, user=user, version=version, fields=customer)
        for name in changed:
            setattr(current, name, changes[name])
        current.version = version
        current.save(update_fields=[*changed, "closed_at", "version", "updated_at"])
        if customer:
            ticket_search_text_refresh(current)
    return current


def tickets_set_workflow(queryset, workflow: str, *, user=None) -> int:
    """Bulk status change from the queue: each ticket whose status moves gets a version and an activity entry."""
    closed_at = timezone.now() if workflow == Ticket.Workflow.CLOSED else None
    with transaction.atomic():
        rows = list(Ticket.objects.select_for_update().filter(pk__in=list(queryset.values_list("pk", flat=True)))
                    .values_list("pk", "workflow", "version"))
        count = Ticket.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(
            workflow=workflow, closed_at=closed_at, updated_at=timezone.now(), version=F("version") + 1)
        for pk, old, version in rows:
            if old != workflow:
                activity_record(pk, TicketActivity.Kind.STATUS, user=user, version=version + 1, old=old,
                                new=workflow)
    return count


def tickets_assign(queryset, user, *, by=None) -> int:
    """Bulk assignment from the queue (``by`` is who did it; "assign to me" passes the same user twice)."""
    from django.contrib.auth import get_user_model

    with transaction.atomic():
        rows = list(Ticket.objects.select_for_update().filter(pk__in=list(queryset.values_list("pk", flat=True)))
                    .values_list("pk", "assignee_id", "version"))
        count = Ticket.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(
            assignee=user, updated_at=timezone.now(), version=F("version") + 1)
        users = get_user_model().objects.in_bulk({a for _, a, _ in rows if a})
        for pk, old, version in rows:
            if old != (user.pk if user else None):
                activity_record(pk, TicketActivity.Kind.ASSIGNMENT, user=by, version=version + 1,
                                old=user_label(users.get(old)), new=user_label(user))
    return count


class MergeRefused(Exception):
    """Tickets of different customers are never merged: one customer would read the other's documents."""


def tickets_merge(target: Ticket, others, *, user=None) -> int:
    """Move the thread, notes, attachments and categories of duplicates into one ticket; the others are closed.

    Only tickets of the same customer (email address); the merge is recorded in the audit trail.
    """
    from ..models import AccessLog
    from .access import audit_record

    others = [other for other in others if other.pk != target.pk]
    customers = {(t.customer_email or "").strip().lower() for t in [target, *others]}
    if len(customers) != 1 or "" in customers:
        raise MergeRefused("the tickets belong to different customers (%s)" % ", ".join(sorted(c or "?" for c in customers)))
    merged = 0
    with transaction.atomic():
        for other in others:
            if other.pk == target.pk:
                continue
            Message.objects.filter(ticket=other).update(ticket=target)
            Note.objects.filter(ticket=other).update(ticket=target)
            Attachment.objects.filter(ticket=other).update(ticket=target)
            other.defects.update(ticket=target)
            existing = set(target.categories.values_list("code", flat=True))
            CategoryAssignment.objects.filter(ticket=other).exclude(code__in=existing).update(ticket=target)
            Ticket.objects.filter(pk=other.pk).update(merged_into=target, workflow=Ticket.Workflow.CLOSED,
                                                      closed_at=timezone.now(), version=F("version") + 1)
            activity_record(other.pk, TicketActivity.Kind.MERGE, user=user, version=other.version + 1,
                            into=target.reference)
            merged += 1
        Ticket.objects.filter(pk=target.pk).update(version=F("version") + 1)
        target.refresh_from_db(fields=["version"])
        activity_record(target.pk, TicketActivity.Kind.MERGE, user=user, version=target.version,
                        merged=[o.reference for o in others])
        ticket_search_text_refresh(target)
        audit_record(AccessLog.Action.MERGE, user=user, ticket_id=target.pk,
                     detail="merged %s into %s" % (", ".join(o.reference for o in others), target.reference))
    return merged


def tickets_delete(queryset, *, user) -> int:
    """Delete tickets with everything stored for them; who did it is logged, each file's removal too.

    The files themselves go after the commit (tickets/signals.py -> services/files.py), with the raw mail.
    """
    from ..models import AccessLog, IncomingMail
    from .access import audit_record

    with transaction.atomic():
        tickets = list(queryset)
        for ticket in tickets:
            audit_record(AccessLog.Action.DELETE, user=user, detail="ticket %s deleted with %d attachments and %d "
                         "raw mails" % (ticket.reference, ticket.attachments.count(),
                                        IncomingMail.objects.filter(message__ticket=ticket).count()))
        Ticket.objects.filter(pk__in=[t.pk for t in tickets]).delete()
    return len(tickets)
