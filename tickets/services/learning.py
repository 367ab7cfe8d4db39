"""Retraining the learned triage layer from agents' corrections, only when they changed."""

import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import transaction

from ..models import Correction, Ticket, TriageModel
from ..selectors import ticket_facts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetrainOutcome:
    trained: bool
    version: str
    examples: int
    reason: str


def training_examples():
    """Tickets an agent has corrected, or closed, labelled with the categories they ended with."""
    ticket_ids = set(Correction.objects.values_list("ticket_id", flat=True))
    ticket_ids |= set(Ticket.objects.filter(workflow=Ticket.Workflow.CLOSED).values_list("pk", flat=True))
    examples = []
    for ticket in Ticket.objects.filter(pk__in=ticket_ids).order_by("pk"):
        labels = set(ticket.categories.filter(applied=True).values_list("code", flat=True))
        if labels:
            examples.append((ticket.pk, ticket_facts(ticket), labels))
    return examples


def triage_model_retrain(*, force: bool = False) -> RetrainOutcome:
    """Train a new version when the training data changed; the new version becomes the active one."""
    from ..triage.learned import LearnedModel

    examples = training_examples()
    digest = hashlib.sha256(json.dumps(
        [[pk, facts.subject, facts.body, [list(a.ocr_lines) + list(a.defects) for a in facts.attachments],
          sorted(labels)] for pk, facts, labels in examples], ensure_ascii=False).encode()).hexdigest()
    version = "v-%s" % digest[:16]
    if not force and TriageModel.objects.filter(version=version).exists():
        return RetrainOutcome(False, version, len(examples), "the corrections have not changed since %s" % version)
    try:
        model = LearnedModel.train([(facts, labels) for _, facts, labels in examples])
    except ValueError as exc:
        return RetrainOutcome(False, version, len(examples), str(exc))
    with transaction.atomic():
        TriageModel.objects.filter(is_active=True).update(is_active=False)
        TriageModel.objects.update_or_create(version=version, defaults={
            "examples": len(examples), "blob": model.dumps(), "is_active": True,
            "metrics": {"labels": sorted({code for _, _, labels in examples for code in labels})},
        })
    log.info("trained triage model %s on %d examples", version, len(examples))
    return RetrainOutcome(True, version, len(examples), "")

