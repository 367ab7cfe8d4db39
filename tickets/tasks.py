"""Celery doorways: ids in, one service call, retry only what is transient."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def attachment_analyse(self, attachment_id: int) -> str:
    from .services.analysis import attachment_analyse as analyse, attachment_analysis_failed

    try:
        return analyse(attachment_id)
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            attachment_analysis_failed(attachment_id, "%s: %s" % (type(exc).__name__, exc), final=True)
            return "failed"
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries))
    except Exception as exc:  # a crash on one file is a defect of that file, recorded, not retried
        log.exception("analysis of attachment %s crashed", attachment_id)
        attachment_analysis_failed(attachment_id, "%s: %s" % (type(exc).__name__, exc), final=True)
        return "failed"


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def ticket_triage(self, ticket_id: int, force: bool = False) -> str:
    from .services.triage import ticket_triage as triage, ticket_triage_failed

    try:
        return triage(ticket_id, force=force)
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            ticket_triage_failed(ticket_id, "%s: %s" % (type(exc).__name__, exc))
            return "failed"
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries))
    except Exception as exc:
        log.exception("triage of ticket %s crashed", ticket_id)
        ticket_triage_failed(ticket_id, "%s: %s" % (type(exc).__name__, exc))
        return "failed"


@shared_task(acks_late=True)
def tickets_sweep() -> dict:
    from .services.pipeline import tickets_requeue_stuck

    return tickets_requeue_stuck()


def _backoff(retries: int) -> float:
    """Exponential backoff with jitter, capped, so a restarting database is not stampeded."""
    import random

    return min(60.0, 2.0 ** retries) * (0.5 + random.random())


@shared_task(bind=True, acks_late=True, max_retries=5)
def mailbox_fetch(self, mailbox_id: int) -> dict:
    from .ingest.imap import ImapError
    from .services.mailboxes import mailbox_fetch as fetch

    try:
        report = fetch(mailbox_id)
    except (ImapError, *TRANSIENT) as exc:
        if self.request.retries >= self.max_retries:
            log.error("mailbox %s: giving up this poll after %d retries: %s", mailbox_id, self.request.retries, exc)
            return {"error": str(exc)}
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries + 2))
    return {"fetched": report.fetched, "already_had": report.already_had}


@shared_task
def mailboxes_poll() -> int:
    from .models import Mailbox

    ids = list(Mailbox.objects.filter(is_active=True).values_list("pk", flat=True))
    for mailbox_id in ids:
        mailbox_fetch.delay(mailbox_id)
    return len(ids)


@shared_task
def triage_model_retrain() -> str:
    from .services.learning import triage_model_retrain as retrain

    outcome = retrain()
    return outcome.version if outcome.trained else outcome.reason


@shared_task
def originals_purge() -> int:
    from .services.retention import originals_purge as purge

    return purge().attachments
