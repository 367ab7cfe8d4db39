"""Combine the rule layer with the learned layer into the ticket's ranked cause categories."""

from __future__ import annotations

from . import codes
from .learned import LearnedModel
from .rules import rule_scores
from .types import CategoryScore, TicketFacts

# Below this a category is noise, not even a suggestion for the agent.
SUGGESTION_FLOOR = 0.3
# "other" is only as confident as the best real cause is weak, within these bounds.
OTHER_MIN = 0.5
OTHER_MAX = 0.8
# A topic outside the guide (fees, withdrawals, account admin) decides "other" unless a cause is at
# least this sure on its own evidence: then the cause is the problem and the topic a side remark.
CAUSE_OVER_OFF_GUIDE = 0.8


def classify(
    facts: TicketFacts,
    *,
    model: LearnedModel | None = None,
    min_confidence: float = 0.5,
    model_weight: float | None = None,
) -> list[CategoryScore]:
    """Ranked causes with confidence >= SUGGESTION_FLOOR; "other" only when no cause reaches min_confidence."""
    scores = {s.code: s for s in rule_scores(facts)}
    off_guide = scores.pop(codes.OTHER, None)
    if model is not None:
        weight = model.blend_weight if model_weight is None else model_weight
        version = model.version
        for code, p in model.predict(facts).items():
            if code == codes.OTHER or weight <= 0:
                continue
            current = scores.get(code)
            base = current.confidence if current else 0.0
            blended = round(base + weight * (p - base), 3)
            evidence = (current.evidence if current else ()) + ("learned model v%s: p=%.2f" % (version, p),)
            if current is None and blended < SUGGESTION_FLOOR:
                continue
            scores[code] = CategoryScore(code, blended, evidence, current.first_seen if current else 1 << 30)
    ranked = sorted(
        (s for s in scores.values() if s.confidence >= SUGGESTION_FLOOR),
        key=lambda s: (-s.confidence, s.first_seen, codes.CATEGORIES.index(s.code)),
    )
    best = ranked[0].confidence if ranked else 0.0
    if off_guide is not None and best < CAUSE_OVER_OFF_GUIDE:
        # Other is decided: the weaker causes stay as suggestions, below the line that applies them.
        ceiling = max(SUGGESTION_FLOOR, round(min_confidence - 0.01, 3))
        ranked = [CategoryScore(s.code, min(s.confidence, ceiling), s.evidence, s.first_seen) for s in ranked]
        confidence = round(max(OTHER_MIN, min(OTHER_MAX, off_guide.confidence)), 3)
        return [CategoryScore(codes.OTHER, confidence, off_guide.evidence)] + ranked
    if best < min_confidence:
        confidence = round(min(OTHER_MAX, max(OTHER_MIN, 1.0 - best)), 3)
        reason = "no cause reached %.2f (best %.2f)" % (min_confidence, best)
        ranked.insert(0, CategoryScore(codes.OTHER, confidence, (reason,)))
    return ranked
