"""Moving a ticket through analysis and triage: queue after commit, finish exactly once."""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..conf import conf
from ..models import Attachment, Ticket
from ..taxonomy import TicketStatus

log = logging.getLogger(__name__)

_OPEN_ANALYSIS = [Attachment.AnalysisStatus.PENDING, Attachment.AnalysisStatus.RUNNING]


def ticket_pipeline_start(ticket_id: int, *, automatic: bool = True) -> None:
    """Queue analysis of every attachment not yet analysed, or triage when none is left; call in a transaction."""
    if automatic and not conf.AUTO_PROCESS:
        return
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            return
        ticket.status = TicketStatus.PROCESSING
        ticket.status_reason = ""
        ticket.pipeline_attempts += 1
        ticket.triage_attempts = 0
        ticket.save(update_fields=["status", "status_reason", "pipeline_attempts", "triage_attempts", "updated_at"])
        pending = list(ticket.attachments.filter(analysis_status__in=_OPEN_ANALYSIS).values_list("pk", flat=True))
        transaction.on_commit(lambda: _dispatch(ticket_id, pending))


def _dispatch(ticket_id: int, attachment_ids: list[int]) -> None:
    """Hand the work to the broker; if it is down the ticket stays stored and the sweeper queues it later."""
    from kombu.exceptions import OperationalError as BrokerError

    from .. import tasks
    from .steps import step_record

    try:
        if not attachment_ids:
            tasks.ticket_triage.delay(ticket_id)
            return
        for attachment_id in attachment_ids:
            tasks.attachment_analyse.delay(attachment_id)
    except BrokerError as exc:
        log.warning("broker unreachable, ticket %s stays queued for the sweeper: %s", ticket_id, exc)
        step_record(ticket_id=ticket_id, step="queue", status="retrying",
                    error="The task broker could not be reached (%s). The ticket is stored; the sweeper queues "
                          "it again within %d s once the broker is back." % (exc, conf.STUCK_AFTER_SECONDS))


def ticket_after_analysis(ticket_id: int) -> None:
    """Queue triage once no attachment of the ticket is still open; called inside the analysis transaction."""
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        return
    if ticket.attachments.filter(analysis_status__in=_OPEN_ANALYSIS).exists():
        return
    from .. import tasks

    transaction.on_commit(lambda: tasks.ticket_triage.delay(ticket_id))


def tickets_requeue_stuck(now=None) -> dict:
    """Re-queue tickets stuck in new/processing past the timeout; give up on those that keep failing."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=conf.STUCK_AFTER_SECONDS)
    stuck = Ticket.objects.filter(Q(status=TicketStatus.NEW) | Q(status=TicketStatus.PROCESSING),
                                  updated_at__lt=cutoff).values_list("pk", flat=True)
    requeued, failed = 0, 0
    for ticket_id in list(stuck):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().filter(pk=ticket_id, updated_at__lt=cutoff).first()
            if ticket is None or ticket.status not in (TicketStatus.NEW, TicketStatus.PROCESSING):
                continue
            if ticket.pipeline_attempts >= conf.MAX_PIPELINE_ATTEMPTS:
                ticket.status = TicketStatus.FAILED
                ticket.status_reason = (
                    "Processing did not finish after %d attempts; check the processing steps and the "
                    "workers, then use 'Retry processing'." % ticket.pipeline_attempts
                )
                ticket.save(update_fields=["status", "status_reason", "updated_at"])
                failed += 1
                continue
            # attachments left "running" by a dead worker are open again
            ticket.attachments.filter(analysis_status=Attachment.AnalysisStatus.RUNNING).update(
                analysis_status=Attachment.AnalysisStatus.PENDING)
        ticket_pipeline_start(ticket_id, automatic=False)
        requeued += 1
    if requeued or failed:
        log.warning("sweeper: requeued %d stuck tickets, gave up on %d", requeued, failed)
    return {"requeued": requeued, "failed": failed}


def tickets_retry(ticket_ids, *, reanalyse: bool = False) -> int:
    """Run the pipeline again for the given tickets (an agent's 'retry' or 're-triage')."""
    count = 0
    for ticket_id in ticket_ids:
        with transaction.atomic():
            qs = Attachment.objects.filter(ticket_id=ticket_id).exclude(
                analysis_status=Attachment.AnalysisStatus.SKIPPED)
            if not reanalyse:
                qs = qs.exclude(analysis_status=Attachment.AnalysisStatus.DONE)
            qs.update(analysis_status=Attachment.AnalysisStatus.PENDING, analyser_version="",
                      analysis_attempts=0)
            Ticket.objects.filter(pk=ticket_id).update(pipeline_attempts=0)
            ticket_pipeline_start(ticket_id, automatic=False)
        count += 1
    return count
