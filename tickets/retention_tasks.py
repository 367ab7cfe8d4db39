"""Celery doorways of retention (imported by the app config; beat entries in settings)."""

from celery import shared_task

from .tasks import RecordedTask


@shared_task(base=RecordedTask)
def tickets_close_stale() -> int:
    from .services.retention import tickets_close_stale as close

    return close()


@shared_task(base=RecordedTask)
def files_orphans_sweep() -> int:
    from .conf import conf
    from .services.files import files_orphans_sweep as sweep

    return sweep(grace_seconds=conf.ORPHAN_GRACE_SECONDS).orphans
