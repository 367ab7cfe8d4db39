"""Retraining the learned triage layer from agents' corrections, only when they changed, and activating a new
version only when it beats the active one on recent tickets it was not trained on (shadow evaluation)."""

import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.db import transaction

from ..models import Correction, Ticket, TriageModel
from ..selectors import ticket_facts

log = logging.getLogger(__name__)

# The most recent corrected tickets are held back from training to judge the new version against the
# active one (or the rules alone): this share of them, and at least this many.
HOLD_BACK_SHARE = 0.2
HOLD_BACK_MIN = 5


@dataclass(frozen=True)
class RetrainOutcome:
    trained: bool
    version: str
    examples: int
    reason: str
    activated: bool = False
    metrics: dict = field(default_factory=dict)


def training_examples():
    """Tickets an agent has corrected, or closed, labelled with the categories they ended with (oldest first)."""
    ticket_ids = set(Correction.objects.values_list("ticket_id", flat=True))
    ticket_ids |= set(Ticket.objects.filter(workflow=Ticket.Workflow.CLOSED).values_list("pk", flat=True))
    examples = []
    for ticket in Ticket.objects.filter(pk__in=ticket_ids).order_by("pk"):
        labels = set(ticket.categories.filter(applied=True).values_list("code", flat=True))
        if labels:
            examples.append((ticket.pk, ticket_facts(ticket), labels))
    return examples


def _scores(model, held) -> dict:
    """macro-F1, exact set and first category of a model (None: rules alone) on held-back examples."""
    from ..conf import conf
    from ..triage.classify import classify
    from ..triage.evalset import predicted_codes, score

    threshold = conf.AUTO_APPLY_CONFIDENCE
    predictions = [predicted_codes(classify(facts, model=model, min_confidence=threshold), threshold=threshold)
                   for _, facts, _ in held]
    result = score(predictions, [labels for _, _, labels in held])
    return {key: round(result[key], 4) for key in ("macro_f1", "exact_match", "first_category_accuracy", "n")}


def _beats(candidate: dict, incumbent: dict) -> bool:
    """Better on exact set, or as good there and better on macro-F1; never worse on the first category."""
    if candidate["first_category_accuracy"] < incumbent["first_category_accuracy"]:
        return False
    return (candidate["exact_match"], candidate["macro_f1"]) > (incumbent["exact_match"], incumbent["macro_f1"])


def triage_model_retrain(*, force: bool = False) -> RetrainOutcome:
    """Train a new version when the training data changed; it becomes active only if it wins the shadow evaluation."""
    from ..services.triage import triage_model_active
    from ..triage.learned import MIN_EXAMPLES, LearnedModel

    examples = training_examples()
    digest = hashlib.sha256(json.dumps(
        [[pk, facts.subject, facts.body, [list(a.ocr_lines) + list(a.defects) for a in facts.attachments],
          sorted(labels)] for pk, facts, labels in examples], ensure_ascii=False).encode()).hexdigest()
    version = "v-%s" % digest[:16]
    if not force and TriageModel.objects.filter(version=version).exists():
        return RetrainOutcome(False, version, len(examples), "the corrections have not changed since %s" % version)
    hold = max(HOLD_BACK_MIN, int(len(examples) * HOLD_BACK_SHARE))
    shadow = len(examples) - hold >= MIN_EXAMPLES
    train, held = (examples[:-hold], examples[-hold:]) if shadow else (examples, [])
    try:
        model = LearnedModel.train([(facts, labels) for _, facts, labels in train])
    except ValueError as exc:
        return RetrainOutcome(False, version, len(examples), str(exc))
    metrics = {"labels": sorted({code for _, _, labels in examples for code in labels}),
               "trained_on": len(train), "held_back": len(held),
               "gates": model.gates, "overrules": model.overrules, "cross_validation": model.cross_validation}
    active = triage_model_active()
    if shadow:
        metrics["candidate"] = _scores(model, held)
        metrics["incumbent"] = _scores(active, held)
        metrics["incumbent_version"] = active.version if active else "rules alone"
        activate = _beats(metrics["candidate"], metrics["incumbent"])
        reason = "" if activate else "kept %s: the new version did not beat it on %d recent held-back tickets" % (
            metrics["incumbent_version"], len(held))
    else:
        activate = False
        reason = ("stored but not activated: %d examples are too few to hold back %d recent tickets for a fair "
                  "comparison" % (len(examples), hold))
    metrics["activated"] = activate
    with transaction.atomic():
        if activate:
            TriageModel.objects.filter(is_active=True).update(is_active=False)
        TriageModel.objects.update_or_create(version=version, defaults={
            "examples": len(train), "blob": model.dumps(), "is_active": activate, "metrics": metrics,
        })
    log.info("trained triage model %s on %d examples (activated: %s) %s", version, len(train), activate, reason)
    return RetrainOutcome(True, version, len(train), reason, activate, metrics)
