"""The Celery app: configured from Django settings (CELERY_*), queues split by run time."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyctriage.settings")
# Debian's tesseract uses OpenMP: one thread per OCR job keeps parallel workers from thrashing.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

app = Celery("kyctriage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("analysis"), Queue("triage"), Queue("mail"))
app.conf.task_default_queue = "triage"
app.conf.task_routes = {
    "tickets.tasks.attachment_analyse": {"queue": "analysis"},
    "tickets.tasks.mailbox_fetch": {"queue": "mail"},
    "tickets.tasks.mailboxes_poll": {"queue": "mail"},
}
app.conf.beat_schedule = {
    "sweep-stuck-tickets": {"task": "tickets.tasks.tickets_sweep", "schedule": 300.0},
    "poll-mailboxes": {"task": "tickets.tasks.mailboxes_poll",
                       "schedule": float(os.environ.get("KYCTRIAGE_MAIL_POLL_SECONDS", "60"))},
    "purge-originals": {"task": "tickets.tasks.originals_purge", "schedule": 24 * 3600.0},
    "retrain-triage-model": {"task": "tickets.tasks.triage_model_retrain", "schedule": 6 * 3600.0},
}
app.autodiscover_tasks()
