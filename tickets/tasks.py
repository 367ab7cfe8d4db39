"""Celery doorways: ids in, one service call; one base class retries what is transient and records the rest."""

import logging
from importlib import import_module

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from .ingest.imap import ImapError

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class RecordedTask(Task):
    """Every task's policy in one place: late acks, transient errors retried with backoff and jitter, and a
    final failure recorded where an agent sees it (``record_failure``: "module:function" taking the task's
    first argument and the reason), so a task never fails silently.

    Time limits come from settings (CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT); a soft limit raises
    SoftTimeLimitExceeded inside the task, which ends here as a recorded failure.
    """

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT
    max_retries = 5
    retry_backoff = True
    retry_backoff_max = settings.KYCTRIAGE_RETRY_BACKOFF_MAX
    retry_jitter = True
    record_failure = ""

    def on_failure(self, exc, task_id, args, kwargs, einfo):  # noqa: ANN001 - Celery's signature
        reason = "%s: %s" % (type(exc).__name__, exc)
        if not self.record_failure or not args:
            log.error("task %s[%s] failed: %s", self.name, task_id, reason)
            return
        module, _, function = self.record_failure.partition(":")
        try:
            getattr(import_module(module), function)(args[0], reason)
        except Exception:  # noqa: BLE001 - the database may be what failed; the sweeper catches up later
            log.exception("task %s[%s] failed (%s) and the failure could not be recorded", self.name, task_id,
                          reason)


@shared_task(base=RecordedTask, record_failure="tickets.services.analysis:attachment_analysis_failed")
def attachment_analyse(attachment_id: int) -> str:
    from .services.analysis import attachment_analyse as analyse

    return analyse(attachment_id)


@shared_task(base=RecordedTask, record_failure="tickets.services.triage:ticket_triage_failed")
def ticket_triage(ticket_id: int, force: bool = False) -> str:
    from .services.triage import ticket_triage as triage

    return triage(ticket_id, force=force)


@shared_task(base=RecordedTask)
def tickets_sweep() -> dict:
    from .services.pipeline import tickets_requeue_stuck

    return tickets_requeue_stuck()


@shared_task(base=RecordedTask, autoretry_for=TRANSIENT + (ImapError,))  # the service records it on the mailbox
def mailbox_fetch(mailbox_id: int) -> dict:
    from .services.mailboxes import mailbox_fetch as fetch

    report = fetch(mailbox_id)
    return {"fetched": report.fetched, "already_had": report.already_had}


@shared_task(base=RecordedTask)
def mailboxes_poll() -> int:
    from .models import Mailbox

    ids = list(Mailbox.objects.filter(is_active=True).values_list("pk", flat=True))
    for mailbox_id in ids:
        mailbox_fetch.delay(mailbox_id)
    return len(ids)


@shared_task(base=RecordedTask, record_failure="tickets.services.replies:outbound_mail_failed")
def outbound_mail_send(outbound_id: int) -> str:
    from .services.replies import outbound_mail_send as send

    return send(outbound_id)


@shared_task(base=RecordedTask)
def outbound_mail_requeue() -> int:
    from .services.replies import outbound_mail_requeue as requeue

    return requeue()


@shared_task(base=RecordedTask)
def triage_model_retrain() -> str:
    from .services.learning import triage_model_retrain as retrain

    outcome = retrain()
    return outcome.version if outcome.trained else outcome.reason


@shared_task(base=RecordedTask)
def originals_purge() -> int:
    from .services.retention import originals_purge as purge

    return purge().attachments
