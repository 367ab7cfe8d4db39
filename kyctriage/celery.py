"""The Celery app: configured from Django settings (CELERY_*), queues split by run time."""

import os

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyctriage.settings")
# Debian's tesseract uses OpenMP: one thread per OCR job keeps parallel workers from thrashing.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

app = Celery("kyctriage")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each queue on its own direct exchange and routing key, so no broker (Redis or RabbitMQ) can deliver a
# task to two queues; a worker without -Q consumes all three.
app.conf.task_queues = tuple(Queue(name, Exchange(name, type="direct"), routing_key=name)
                             for name in ("analysis", "triage", "mail"))
app.conf.task_default_queue = "triage"
app.conf.task_default_exchange = "triage"
app.conf.task_default_routing_key = "triage"
app.conf.task_routes = {
    "tickets.tasks.attachment_analyse": {"queue": "analysis"},
    "tickets.tasks.mailbox_fetch": {"queue": "mail"},
    "tickets.tasks.mailboxes_poll": {"queue": "mail"},
}
# The beat schedule is in settings: CELERY_BEAT_SCHEDULE.
app.autodiscover_tasks()
