"""Triage of a ticket: categories with evidence, language and suggested replies, replaced as a whole."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..conf import conf
from ..masking import mask_evidence, mask_text
from ..models import (Attachment, CategoryAssignment, Correction, ReplyTemplate, SuggestedReply, Ticket,
                      TriageModel)
from ..selectors import ticket_facts, ticket_identity_values
from ..taxonomy import TicketStatus
from .steps import Stopwatch, step_record
from .tickets import ticket_search_text_refresh

log = logging.getLogger(__name__)

_model_cache: dict[str, object] = {}


def triage_model_active():
    """The active learned layer, loaded once per process and version; None until agents trained one."""
    row = TriageModel.objects.filter(is_active=True).only("version").order_by("-trained_at").first()
    if row is None:
        return None
    if row.version not in _model_cache:
        from ..triage.learned import LearnedModel

        blob = TriageModel.objects.values_list("blob", flat=True).get(pk=row.pk)
        _model_cache.clear()
        _model_cache[row.version] = LearnedModel.loads(bytes(blob))
    return _model_cache[row.version]


def _templates(language: str):
    """The agents' templates in the ticket's language; the shipped defaults where the table has none."""
    from ..triage.reply_texts import DEFAULT_TEMPLATES
    from ..triage.replies import ReplyTemplate as PureTemplate

    rows = ReplyTemplate.objects.filter(language=language)
    if not rows.exists():
        return [t for t in DEFAULT_TEMPLATES if t.language == language]
    return [PureTemplate(code=r.code, language=r.language, subject=r.subject, body=r.body)
            for r in rows if r.is_active]


def evidence_records(evidence) -> list[dict]:
    """The one place triage evidence becomes stored JSON (records, rendered where shown)."""
    from ..triage.evidence import to_record

    return [to_record(e) for e in evidence]


def ticket_triage(ticket_id: int, *, force: bool = False) -> str:
    """Classify the ticket and store the result; a second run over the same facts changes nothing."""
    from ..triage.classify import classify
    from ..triage.language import detect_language
    from ..triage.replies import suggest

    watch = Stopwatch()
    # counted in its own commit, so a run that kills its worker still counts: a redelivery loop ends here
    started = Ticket.objects.filter(pk=ticket_id)
    if not force:
        started = started.exclude(status=TicketStatus.TRIAGED)
    if started.update(triage_attempts=F("triage_attempts") + 1):
        attempts = Ticket.objects.filter(pk=ticket_id).values_list("triage_attempts", flat=True).first() or 0
        if attempts > conf.MAX_TRIAGE_ATTEMPTS:
            ticket_triage_failed(ticket_id, "triage was started %d times and never finished (the worker was lost "
                                            "or reached its time limit each time); it is not tried again "
                                            "automatically" % (attempts - 1))
            return "given up"
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            return "gone"
        if ticket.status == TicketStatus.TRIAGED and not force:
            return "already triaged"
        facts = ticket_facts(ticket, unmasked=True)  # classified as written; stored masked below
        identity = ticket_identity_values(facts)
        language = facts.language or detect_language(facts.subject + "\n" + facts.body)
        scores = classify(facts, model=triage_model_active(), min_confidence=conf.AUTO_APPLY_CONFIDENCE)

        latest: dict[str, str] = {}
        for correction in Correction.objects.filter(ticket=ticket).order_by("created_at"):
            latest[correction.code] = correction.action
        removed = {code for code, action in latest.items() if action == Correction.Action.REMOVE}

        ticket.categories.filter(source=CategoryAssignment.Source.AUTO).delete()
        agent_codes = set(ticket.categories.values_list("code", flat=True))
        CategoryAssignment.objects.bulk_create([
            CategoryAssignment(ticket=ticket, code=score.code, confidence=round(float(score.confidence), 3),
                               evidence=mask_evidence(evidence_records(score.evidence), identity),
                               source=CategoryAssignment.Source.AUTO,
                               applied=score.confidence >= conf.AUTO_APPLY_CONFIDENCE)
            for score in scores if score.code not in removed and score.code not in agent_codes
        ])

        ticket.suggested_replies.all().delete()
        templates = _templates(language) or _templates("en")
        replies = suggest(facts, scores, language, templates=templates, limit=conf.SUGGESTED_REPLIES,
                          ticket_reference=ticket.reference)
        SuggestedReply.objects.bulk_create([
            SuggestedReply(ticket=ticket, template_code=reply.template, language=reply.language,
                           # drafts quote the customer's subject and the OCR'd error: masked like the rest
                           subject=mask_text(reply.subject, identity), body=mask_text(reply.body, identity),
                           rank=rank,
                           score=round(float(reply.score), 3))
            for rank, reply in enumerate(replies)
        ])

        failed = list(ticket.attachments.filter(analysis_status=Attachment.AnalysisStatus.FAILED)
                      .values_list("filename", "analysis_error"))
        ticket.language = language
        ticket.triaged_at = timezone.now()
        if failed:
            ticket.status = TicketStatus.FAILED
            ticket.status_reason = "; ".join(
                "analysis of %s failed: %s" % (name, error or "unknown error") for name, error in failed
            ) + ". Categories are based on the rest; use 'Retry processing' after fixing the cause."
        else:
            ticket.status = TicketStatus.TRIAGED
            ticket.status_reason = ""
        ticket.save(update_fields=["language", "triaged_at", "status", "status_reason", "updated_at"])
        ticket_search_text_refresh(ticket)
        step_record(ticket_id=ticket.pk, step="triage", status="ok", duration_ms=watch.ms,
                    detail={"categories": [s.code for s in scores], "language": language})
    return "triaged"


def ticket_triage_failed(ticket_id: int, error: str) -> None:
    """Triage itself crashed for good: the ticket shows it, with the reason, and can be retried."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            return
        ticket.status = TicketStatus.FAILED
        ticket.status_reason = "Triage failed: %s. Use 'Retry processing' once the cause is fixed." % error
        ticket.save(update_fields=["status", "status_reason", "updated_at"])
        step_record(ticket_id=ticket.pk, step="triage", status="failed", error=error)
