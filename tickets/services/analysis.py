"""Analysing one attachment: lock it, compute what is missing, store findings, hand over to triage."""

import logging
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..conf import conf
from ..models import Attachment, AttachmentDefect
from .pipeline import ticket_after_analysis
from .steps import Stopwatch, step_record

log = logging.getLogger(__name__)

FILE_DEFECTS = {"unreadable", "unsupported_file", "file_too_large"}


def _ocr_engine():
    """The process's one OCR engine (tickets.analysis.ocr.default_engine): models load once per worker."""
    from ..analysis.ocr import default_engine

    return default_engine()


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

    with transaction.atomic():
        att = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
        if att is None:
            return "gone"
        att.content_type = result.sniffed_type or att.content_type
        att.kind = result.kind
        att.ocr_text = result.ocr_text
        att.ocr_lines = [
            {"text": line.text, "confidence": round(float(line.confidence), 1), "bbox": list(line.bbox)}
            for line in result.ocr_lines
        ]
        att.metrics = result.metrics
        att.mrz = result.mrz
        att.expiry_date = date.fromisoformat(result.expiry_date) if result.expiry_date else None
        att.analysis_error = result.error
        # a file-level verdict (corrupt, unsupported, too large) is a finding; any other error is our failure,
        # shown on the ticket and retryable, with whatever the analyser found before it kept
        internal_failure = bool(result.error) and not set(result.defects) & FILE_DEFECTS
        att.analysis_status = (Attachment.AnalysisStatus.FAILED if internal_failure
                               else Attachment.AnalysisStatus.DONE)
        att.analyser_version = ANALYSER_VERSION
        att.analysed_at = timezone.now()
        if result.preview_png:
            if att.preview:
                att.preview.delete(save=False)
            att.preview.save("preview.png", ContentFile(result.preview_png), save=False)
        att.save()
        att.defects.all().delete()
        AttachmentDefect.objects.bulk_create([
            AttachmentDefect(attachment=att, ticket_id=att.ticket_id, code=code,
                             details=result.defect_details.get(code, {}))
            for code in dict.fromkeys(result.defects)
        ])
        step_record(ticket_id=ticket_id, attachment_id=att.pk, step="analyse",
                    status="failed" if internal_failure else "ok",
                    duration_ms=watch.ms, error=result.error,
                    detail={"kind": result.kind, "defects": list(result.defects),
                            "timings": {k: round(v, 3) for k, v in result.timings.items()}})
        ticket_after_analysis(ticket_id)
    log.info("analysed attachment %s (%s) in %d ms", attachment_id, result.kind, watch.ms)
    return "done"


def attachment_analysis_failed(attachment_id: int, error: str, *, final: bool) -> None:
    """Record an analysis crash; when final, the attachment is closed as failed and triage goes on."""
    with transaction.atomic():
        att = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
        if att is None:
            return
        step_record(ticket_id=att.ticket_id, attachment_id=att.pk, step="analyse",
                    status="failed" if final else "retrying", error=error)
        if not final:
            return
        att.analysis_status = Attachment.AnalysisStatus.FAILED
        att.analysis_error = error
        att.save(update_fields=["analysis_status", "analysis_error"])
        ticket_after_analysis(att.ticket_id)
