"""Issue 11, item 3: retention deletes everything stored for a ticket, and every deletion is logged."""

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from tickets.models import AccessLog, Attachment, IncomingMail, Message, Note, Ticket, private_storage

from .factories import build_email

pytestmark = pytest.mark.django_db


def _files(settings) -> set[str]:
    root = settings.DATA_DIR / "attachments"
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def mailed(ingest, settings):
    """A ticket from mail with a screenshot whose analysis failed and an 'other' file: originals of every kind."""
    raw = build_email(subject="KYC", body="Date of birth: 1990-01-15, passport E12345678",
                      message_id="<ret-%s@example.com>" % os.urandom(4).hex(),
                      attachments=[("notes.txt", b"order 1", "text/plain"),
                                   ("broken.png", b"\x89PNG\r\n\x1a\n broken", "image/png")])
    before = _files(settings)
    outcome = ingest(raw)
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    ticket.files_before = before  # files of earlier tests in this run
    for attachment in ticket.attachments.all():  # a preview as the analysis would have drawn it
        attachment.preview.save("p.png", ContentFile(b"png"), save=False)
        attachment.preview_redacted.save("r.png", ContentFile(b"png"), save=False)
        attachment.save()
    return ticket


def _close(ticket, days_ago: int) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(workflow=Ticket.Workflow.CLOSED,
                                               closed_at=timezone.now() - timedelta(days=days_ago))


def test_retention_deletes_originals_of_every_kind_raw_mail_previews_and_unmasked_text(mailed, settings):
    settings.KYCTRIAGE_RETENTION_DAYS = 30
    assert Message.objects.get(ticket=mailed).unmasked_encrypted
    assert len(_files(settings) - mailed.files_before) == 1 + 2 * 3  # raw mail, two originals, two previews each
    _close(mailed, days_ago=40)

    call_command("purge_originals")

    assert _files(settings) - mailed.files_before == set()
    for attachment in Attachment.objects.filter(ticket=mailed):
        assert not (attachment.file or attachment.preview or attachment.preview_redacted)
        assert attachment.original_deleted_at and not attachment.unmasked_encrypted
    assert not IncomingMail.objects.get(message__ticket=mailed).raw
    assert not Message.objects.get(ticket=mailed).unmasked_encrypted
    assert "E12345678" not in Message.objects.get(ticket=mailed).text_body
    actions = list(AccessLog.objects.values_list("action", flat=True))
    assert actions.count(AccessLog.Action.DELETE) == 2 and actions.count(AccessLog.Action.DELETE_FILE) == 1


def test_retention_masks_identity_numbers_agents_typed_into_internal_notes(mailed, settings):
    settings.KYCTRIAGE_RETENTION_DAYS = 30
    note = Note.objects.create(ticket=mailed, body="Customer confirmed passport E12345678 on the phone.")
    _close(mailed, days_ago=40)

    call_command("purge_originals")

    note.refresh_from_db()
    assert "E12345678" not in note.body and note.body.startswith("Customer confirmed passport")


def test_retention_leaves_a_recently_closed_ticket_alone(mailed, settings):
    settings.KYCTRIAGE_RETENTION_DAYS = 30
    _close(mailed, days_ago=5)
    before = _files(settings)
    call_command("purge_originals")
    assert _files(settings) == before


def test_stale_open_tickets_are_closed_so_retention_reaches_them(mailed, settings):
    settings.KYCTRIAGE_CLOSE_STALE_DAYS = 20
    Ticket.objects.filter(pk=mailed.pk).update(updated_at=timezone.now() - timedelta(days=21))
    fresh = Ticket.objects.create(subject="fresh")

    call_command("purge_originals")

    mailed.refresh_from_db()
    assert mailed.workflow == Ticket.Workflow.CLOSED and mailed.closed_at
    assert Ticket.objects.get(pk=fresh.pk).workflow == Ticket.Workflow.OPEN
    assert AccessLog.objects.get(action=AccessLog.Action.CLOSE_STALE).ticket_id == mailed.pk


def test_deleting_a_ticket_removes_its_files_and_raw_mail_after_the_commit_and_logs_it(
        mailed, settings, client, django_user_model, django_capture_on_commit_callbacks):
    admin = django_user_model.objects.create_superuser("boss", password="pw")
    client.force_login(admin)
    assert _files(settings) - mailed.files_before
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/tickets/ticket/%d/delete/" % mailed.pk, {"post": "yes"})
    assert response.status_code == 302
    assert _files(settings) - mailed.files_before == set()
    assert not IncomingMail.objects.exists()
    entry = AccessLog.objects.get(action=AccessLog.Action.DELETE)
    assert entry.username == "boss" and mailed.reference in entry.detail
    assert AccessLog.objects.filter(action=AccessLog.Action.DELETE_FILE).count() == 7


def test_a_ticket_deleted_outside_the_admin_still_takes_its_files(mailed, settings,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Ticket.objects.filter(pk=mailed.pk).delete()
    assert _files(settings) - mailed.files_before == set()


def test_an_ingest_that_rolls_back_leaves_no_files(settings, monkeypatch, django_capture_on_commit_callbacks):
    from tickets.services import ingest as ingest_service

    def crash(*args, **kwargs):
        raise RuntimeError("database went away after the files were written")

    monkeypatch.setattr(ingest_service, "ticket_search_text_refresh", crash)
    raw = build_email(message_id="<rollback@example.com>", attachments=[("a.txt", b"data", "text/plain")])
    before = _files(settings)
    with pytest.raises(RuntimeError):
        ingest_service.message_ingest(raw, source="test")
    left = _files(settings) - before
    assert len(left) == 1 and left == {IncomingMail.objects.get().raw.name}, "only the stored raw mail stays"
    assert not Attachment.objects.exists()


def test_the_orphan_sweep_deletes_files_no_record_points_at_and_logs_it(mailed, settings):
    storage = private_storage()
    orphan = storage.save("originals/2026/01/orphan", ContentFile(b"left by a crash"))
    young = storage.save("originals/2026/01/young", ContentFile(b"an ingest about to commit"))
    old = timezone.now() - timedelta(hours=2)
    os.utime(storage.path(orphan), (old.timestamp(), old.timestamp()))
    before = _files(settings)

    call_command("sweep_orphan_files")

    assert _files(settings) == before - {orphan}
    assert young in _files(settings)
    entry = AccessLog.objects.get(action=AccessLog.Action.DELETE_FILE)
    assert orphan in entry.detail and "orphan" in entry.detail


def test_retention_and_the_sweep_run_on_beat():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"tickets.tasks.originals_purge", "tickets.retention_tasks.tickets_close_stale",
            "tickets.retention_tasks.files_orphans_sweep"} <= tasks


def test_mail_that_made_no_ticket_loses_its_raw_bytes_after_retention_and_says_why_when_reprocessed(
        settings, ingest):
    from tickets.services.ingest import incoming_process

    settings.KYCTRIAGE_RETENTION_DAYS = 30
    outcome = ingest(build_email(message_id="<auto@example.com>", headers={"Auto-Submitted": "auto-replied"}))
    assert outcome.state == "ignored"
    IncomingMail.objects.filter(pk=outcome.incoming_id).update(received_at=timezone.now() - timedelta(days=40))
    call_command("purge_originals")
    assert not IncomingMail.objects.get(pk=outcome.incoming_id).raw
    assert "deleted by retention" in incoming_process(outcome.incoming_id).reason
