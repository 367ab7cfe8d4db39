"""Analysing one attachment: lock it, compute what is missing, store findings, hand over to triage."""

import functools
import logging
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..conf import conf
from ..models import Attachment, AttachmentDefect
from .files import file_saved, files_removed_on_rollback, stored_files_delete_on_commit
from .masking import attachment_findings_masked, ticket_identity_values_hide
from ..storage import StorageUnavailable
from .pipeline import ticket_after_analysis
from .steps import Stopwatch, step_record

log = logging.getLogger(__name__)

FILE_DEFECTS = {"unreadable", "unsupported_file", "file_too_large"}


def _ocr_engine():
    """The process's one OCR engine (tickets.analysis.ocr.default_engine): models load once per worker."""
    from ..analysis.ocr import default_engine

    engine = default_engine()
    engine.timeout = conf.OCR_TIMEOUT_SECONDS  # the validated setting; one OCR run stops after it
    return engine


def _limits():
    from ..analysis import AnalysisLimits

    return AnalysisLimits(max_file_bytes=conf.MAX_ATTACHMENT_BYTES, max_pixels=conf.MAX_PIXELS,
                          analysis_long_side=conf.ANALYSIS_LONG_SIDE, pdf_max_pages=conf.PDF_MAX_PAGES)


def _message_hint(att: Attachment) -> str | None:
    """The kind the customer's words suggest for this file: the sentence naming it, or the whole message when it
    carries this one attachment ("here is my selfie", "我的自拍", "passport photo attached")."""
    from ..analysis.kind import message_hint

    message = att.message
    if message is None:
        return None
    text = message.text_clean or message.text_body or ""
    stem = att.filename.rsplit(".", 1)[0]
    at = text.find(stem) if len(stem) >= 3 else -1
    if at >= 0:
        return message_hint(text[max(0, at - 80):at + len(stem) + 80])
    if message.attachments.exclude(is_inline=True).count() == 1:
        return message_hint(text)
    return None


def _store_outage_recorded(analyse):
    """An unreachable attachment store is said on the ticket (step 'retrying'), then re-raised for the task to retry:
    the original is safe in the store, only this run could not reach it."""

    @functools.wraps(analyse)
    def run(attachment_id: int) -> str:
        try:
            return analyse(attachment_id)
        except StorageUnavailable as exc:
            # this run ended (it was not a lost worker): it does not count toward the dead-letter limit
            Attachment.objects.filter(pk=attachment_id, analysis_attempts__gt=0).update(
                analysis_attempts=F("analysis_attempts") - 1)
            ticket_id = Attachment.objects.filter(pk=attachment_id).values_list("ticket_id", flat=True).first()
            if ticket_id is not None:
                step_record(ticket_id=ticket_id, attachment_id=attachment_id, step="analyse", status="retrying",
                            error=str(exc))
            raise

    return run


@_store_outage_recorded
def attachment_analyse(attachment_id: int) -> str:
    """Analyse an attachment unless this analyser version already did; returns what happened."""
    from ..analysis import ANALYSER_VERSION, analyse

    with transaction.atomic():
        att = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
        if att is None:
            return "gone"
        if att.analysis_status == Attachment.AnalysisStatus.DONE and att.analyser_version == ANALYSER_VERSION:
            return "already done"
        if att.analysis_status == Attachment.AnalysisStatus.SKIPPED:
            ticket_after_analysis(att.ticket_id)
            return "skipped"
        if att.analysis_attempts >= conf.MAX_ANALYSIS_ATTEMPTS:
            # a redelivery loop: the worker died or hit its hard time limit on every earlier run
            _analysis_close_failed(att, "analysis was started %d times and never finished (the worker was lost "
                                        "or reached its time limit each time); it is not tried again "
                                        "automatically" % att.analysis_attempts)
            return "given up"
        att.analysis_status = Attachment.AnalysisStatus.RUNNING
        att.analysis_attempts += 1
        att.save(update_fields=["analysis_status", "analysis_attempts"])
        ticket_id = att.ticket_id
        received = att.ticket.received_at
        hint = _message_hint(att)

    watch = Stopwatch()
    with att.file.open("rb") as handle:
        data = handle.read()
    reference_date: date = timezone.localdate(received) if received else timezone.localdate()
    result = analyse(data, filename=att.filename, reference_date=reference_date, limits=_limits(),
                     ocr=_ocr_engine(), hint=hint)

    with files_removed_on_rollback(), transaction.atomic():
        att = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
        if att is None:
            return "gone"
        att.content_type = result.sniffed_type or att.content_type
        att.kind = result.kind
        # identity data masked before it is written; the unmasked findings only in the encrypted vault
        masked, identity = attachment_findings_masked(ocr_text=result.ocr_text, ocr_lines=[
            {"text": line.text, "confidence": round(float(line.confidence), 1), "bbox": list(line.bbox)}
            for line in result.ocr_lines
        ], mrz=result.mrz)
        att.ocr_text, att.ocr_lines, att.mrz = masked["ocr_text"], masked["ocr_lines"], masked["mrz"]
        att.unmasked_encrypted = masked["unmasked_encrypted"]
        att.metrics = result.metrics
        att.expiry_date = date.fromisoformat(result.expiry_date) if result.expiry_date else None
        att.analysis_error = result.error
        # a file-level verdict (corrupt, unsupported, too large) is a finding; any other error is our failure,
        # shown on the ticket and retryable, with whatever the analyser found before it kept
        internal_failure = bool(result.error) and not set(result.defects) & FILE_DEFECTS
        att.analysis_status = (Attachment.AnalysisStatus.FAILED if internal_failure
                               else Attachment.AnalysisStatus.DONE)
        att.analyser_version = ANALYSER_VERSION
        att.analysed_at = timezone.now()
        replaced = []
        for field, png in (("preview", result.preview_png), ("preview_redacted", result.preview_redacted_png)):
            stored = getattr(att, field)
            if stored and (png or field == "preview_redacted"):
                replaced.append(stored.name)  # removed after the commit, so a rollback keeps the old one
                setattr(att, field, "")
            if png:
                getattr(att, field).save("preview.png", ContentFile(png), save=False)
                file_saved(getattr(att, field).name)
        stored_files_delete_on_commit(replaced, reason="preview replaced by a new analysis", filename=att.filename)
        att.save()
        att.defects.all().delete()
        AttachmentDefect.objects.bulk_create([
            AttachmentDefect(attachment=att, ticket_id=att.ticket_id, code=code,
                             details=_masked_details(result.defect_details.get(code, {}), identity))
            for code in dict.fromkeys(result.defects)
        ])
        ticket_identity_values_hide(ticket_id, identity, except_attachment=att.pk)
        step_record(ticket_id=ticket_id, attachment_id=att.pk, step="analyse",
                    status="failed" if internal_failure else "ok",
                    duration_ms=watch.ms, error=result.error,
                    detail={"kind": result.kind, "defects": list(result.defects),
                            "timings": {k: round(v, 3) for k, v in result.timings.items()}})
        ticket_after_analysis(ticket_id)
    log.info("analysed attachment %s (%s) in %d ms", attachment_id, result.kind, watch.ms)
    return "done"


def _masked_details(details: dict, identity: set[str]) -> dict:
    """A defect's evidence (e.g. the printed expiry line) with identity data hidden like the OCR text."""
    from ..masking import mask_text

    return {k: mask_text(v, identity) if isinstance(v, str) else v for k, v in details.items()}


def attachment_analysis_failed(attachment_id: int, error: str, *, final: bool = True) -> None:
    """Record an analysis crash; when final, the attachment is closed as failed and triage goes on."""
    with transaction.atomic():
        att = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
        if att is None:
            return
        if not final:
            step_record(ticket_id=att.ticket_id, attachment_id=att.pk, step="analyse", status="retrying",
                        error=error)
            return
        _analysis_close_failed(att, error)


def _analysis_close_failed(att: Attachment, error: str) -> None:
    """Close a locked attachment as failed with its reason, and let triage go on without it."""
    step_record(ticket_id=att.ticket_id, attachment_id=att.pk, step="analyse", status="failed", error=error)
    att.analysis_status = Attachment.AnalysisStatus.FAILED
    att.analysis_error = error
    att.save(update_fields=["analysis_status", "analysis_error"])
    ticket_after_analysis(att.ticket_id)
