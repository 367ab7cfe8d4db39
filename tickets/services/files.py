"""Stored files leave with their rows: on delete after the commit, on rollback at once, and by a sweep.

Every removal goes through the storage API (delete/exists), so it works for any backend, and is logged.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..models import AccessLog, Attachment, IncomingMail, private_storage

log = logging.getLogger(__name__)

FILE_FIELDS = {Attachment: ("file", "preview", "preview_redacted"), IncomingMail: ("raw",)}
STORED_FOLDERS = ("mail", "originals", "previews")

_saved_in_block: ContextVar[tuple[list[str], ...]] = ContextVar("files_saved_in_block", default=())


def stored_names(instance) -> list[str]:
    """The storage names of a row's files (empty fields left out)."""
    return [getattr(instance, field).name for field in FILE_FIELDS[type(instance)] if getattr(instance, field)]


def stored_file_delete(name: str, *, reason: str, user=None, ticket_id: int | None = None,
                       filename: str = "", logged: bool = True) -> bool:
    """Remove one stored file if it is there, logged (logged=False: the caller's own entry covers it).

    ticket_id only while the ticket still exists (a deleted ticket is named in the reason instead).
    """
    from .access import audit_record

    storage = private_storage()
    if not name or not storage.exists(name):
        return False
    storage.delete(name)
    if logged:
        audit_record(AccessLog.Action.DELETE_FILE, user=user, ticket_id=ticket_id, filename=filename,
                     detail=("%s: %s" % (reason, name))[:500])
    return True


def stored_files_delete_on_commit(names: list[str], *, reason: str, filename: str = "") -> None:
    """Delete files once the deletion of their row is committed (never while it could still roll back)."""
    def delete():
        for name in names:
            try:
                stored_file_delete(name, reason=reason, filename=filename)
            except Exception:  # noqa: BLE001 - the orphan sweep removes what could not be removed now
                log.exception("could not delete stored file %s", name)

    if names:
        transaction.on_commit(delete)


def file_saved(name: str) -> None:
    """Tell the enclosing files_removed_on_rollback blocks that this file was written."""
    for saved in _saved_in_block.get():
        saved.append(name)


@contextmanager
def files_removed_on_rollback():
    """Wrap an atomic block that writes files: if it rolls back (an exception leaves it), they are removed."""
    saved: list[str] = []
    token = _saved_in_block.set(_saved_in_block.get() + (saved,))
    try:
        yield
    except BaseException:
        storage = private_storage()
        for name in saved:
            try:
                if storage.exists(name):
                    storage.delete(name)
            except Exception:  # noqa: BLE001 - the orphan sweep removes it later
                log.exception("could not remove %s after a rollback", name)
        raise
    finally:
        _saved_in_block.reset(token)


@dataclass(frozen=True)
class SweepReport:
    orphans: int
    kept: int
    dry_run: bool


def _walk(storage, folder: str):
    try:
        dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield "%s/%s" % (folder, name)
    for sub in dirs:
        yield from _walk(storage, "%s/%s" % (folder, sub))


def files_orphans_sweep(*, dry_run: bool = False, grace_seconds: int = 3600, now=None) -> SweepReport:
    """Remove stored files no row points at (a crash between writing a file and committing its row).

    Files younger than the grace period are left alone: an ingest may be about to commit them.
    """
    storage = private_storage()
    now = now or timezone.now()
    referenced: set[str] = set()
    for model, fields in FILE_FIELDS.items():
        for field in fields:
            referenced.update(model.objects.exclude(**{field: ""}).values_list(field, flat=True))
    orphans = kept = 0
    for folder in STORED_FOLDERS:
        for name in _walk(storage, folder):
            if name in referenced:
                kept += 1
                continue
            if (now - storage.get_modified_time(name)).total_seconds() < grace_seconds:
                continue
            orphans += 1
            if not dry_run:
                stored_file_delete(name, reason="orphan file (no record points at it)")
    return SweepReport(orphans, kept, dry_run)


def row_files_deleted(instance) -> None:
    """A row with files was deleted (by any path): its files go after the commit, logged."""
    if isinstance(instance, Attachment):
        from ..ingest.refs import format_ticket_reference

        reason = "attachment of %s deleted" % format_ticket_reference(instance.ticket_id)
        stored_files_delete_on_commit(stored_names(instance), reason=reason, filename=instance.filename)
    else:
        stored_files_delete_on_commit(stored_names(instance), reason="raw mail deleted (%s)" % instance.source)


def ticket_raw_mail_delete(ticket) -> int:
    """The raw mail of a ticket's messages goes with the ticket (it holds the originals too)."""
    return IncomingMail.objects.filter(message__ticket=ticket).delete()[0]
