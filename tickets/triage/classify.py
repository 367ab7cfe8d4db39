"""Combine the rule layer, its calibration and the learned layer into the ticket's ranked cause categories."""

from __future__ import annotations

from . import codes
from . import evidence as ev
from .base_model import default_base_model
from .calibration import HINT_LINE, Calibration, default_calibration
from .learned import BASE, LearnedModel, top_cause
from .rules import reads_known_wording, rule_scores
from .types import CategoryScore, TicketFacts

# Below this a category is noise, not even a suggestion for the agent.
SUGGESTION_FLOOR = 0.3
# "other" is only as confident as the best real cause is weak, within these bounds.
OTHER_MIN = 0.5
OTHER_MAX = 0.8
# A topic outside the guide (fees, withdrawals, account admin) decides "other" unless a cause is at
# least this sure on its own evidence: then the cause is the problem and the topic a side remark.
CAUSE_OVER_OFF_GUIDE = 0.8
# The learned layer decides alone only where the rules placed no cause: there it names the cause agents gave
# similar tickets when it is surer of it than of "other" and at least as sure as that category's gate, which
# the model earned by cross-validation on its own training tickets (learned.py); a category without a gate
# stays evidence, and a topic outside the guide that the rules found is overruled only where that, too, was
# earned. Where the rules found a cause it adds its probability as evidence and never moves the rules'
# confidence: measured on the tune part, pulling rule scores towards the model lost more tickets than it won.
# The agents' model comes first; the shipped base model (base_model.py, fitted on the labelled tune part, gated
# the same way) decides only where the agents' model did not, and is otherwise evidence too.
SHIPPED = object()  # classify(base=SHIPPED): the base model shipped in the package, if any


def _learned_evidence(model: LearnedModel, p: float, gate: float | None = None):
    return ev.learned(model.version, p, gate=gate, base=model.origin == BASE)


def classify(
    facts: TicketFacts,
    *,
    model: LearnedModel | None = None,
    base: LearnedModel | None | object = SHIPPED,
    min_confidence: float = 0.5,
    calibration: Calibration | None = None,
) -> list[CategoryScore]:
    """Ranked causes with calibrated confidence >= SUGGESTION_FLOOR, most confident first.

    "other" is a decision of its own: a topic outside the guide with no sure cause, or no cause
    reaching min_confidence (and no learned cause either). Causes below min_confidence stay as
    suggestions for the agent. `model` is the agents' learned layer; `base` the shipped base model
    (None: the rules alone).
    """
    calibration = calibration or default_calibration()
    base = default_base_model() if base is SHIPPED else base
    def applied(code: str, raw_score: float) -> bool:
        """A cause applied on its own evidence: beside it, waiting words are context (rules.combine)."""
        return _calibrated(calibration, code, raw_score, min_confidence) >= min_confidence

    raw = {s.code: s for s in rule_scores(facts, sure=applied)}
    unread = not raw  # not even a hint: the base model may speak only here (see _base_may_decide)
    off_guide = raw.pop(codes.OTHER, None)
    scores = {code: CategoryScore(code, _calibrated(calibration, code, s.confidence, min_confidence), s.evidence,
                                  s.first_seen)
              for code, s in raw.items()}
    opinions = [(m, m.predict(facts)) for m in (base, model) if m is not None]  # the agents' record last
    for m, probabilities in opinions:
        for code, p in probabilities.items():
            if code in scores and code != codes.OTHER:
                s = scores[code]
                scores[code] = CategoryScore(code, s.confidence, s.evidence + (_learned_evidence(m, p),), s.first_seen)
    ranked = sorted(
        (s for s in scores.values() if s.confidence >= SUGGESTION_FLOOR),
        key=lambda s: (-s.confidence, s.first_seen, codes.CATEGORIES.index(s.code)),
    )
    best = ranked[0].confidence if ranked else 0.0
    other: CategoryScore | None = None
    if off_guide is not None and best < CAUSE_OVER_OFF_GUIDE:
        other = CategoryScore(codes.OTHER, round(max(OTHER_MIN, min(OTHER_MAX, off_guide.confidence)), 3),
                              off_guide.evidence)
    elif best < min_confidence:
        reason = ev.no_cause(min_confidence, best)
        other = CategoryScore(codes.OTHER, round(min(OTHER_MAX, max(OTHER_MIN, 1.0 - best)), 3), (reason,))
    if other is None:
        return ranked
    learned = None
    for m, probabilities in reversed(opinions):  # the agents' model first, then the base model
        if m.origin == BASE and not (unread and _base_may_decide(facts)):
            continue
        learned = _learned_cause(m, probabilities, scores, overruling_topic=off_guide is not None)
        if learned is not None:
            break
    if learned is not None:
        return [learned] + [s for s in ranked if s.code != learned.code]
    # Other is decided: the weaker causes stay as suggestions, below the line that applies them.
    ceiling = max(SUGGESTION_FLOOR, round(min_confidence - 0.01, 3))
    return [other] + [CategoryScore(s.code, min(s.confidence, ceiling), s.evidence, s.first_seen) for s in ranked]


def _base_may_decide(facts: TicketFacts) -> bool:
    """The base model decides only tickets in wording no rule knows: where a rule's phrase occurs at all (a hint,
    something tried, asked or denied), the rules weighed it, and their "other" is a reading, not a blank. The
    agents' model is not held to this: their corrections are about exactly such tickets."""
    return not reads_known_wording(facts)


def _calibrated(calibration: Calibration, code: str, raw: float, min_confidence: float) -> float:
    """The calibrated confidence; hint-level evidence alone (raw below the hint line) stays a suggestion."""
    confidence = calibration(code, raw)
    if raw < HINT_LINE and confidence >= min_confidence:
        return max(SUGGESTION_FLOOR, round(min_confidence - 0.01, 3))
    return confidence


def _learned_cause(model, probabilities: dict[str, float], scores: dict[str, CategoryScore], *,
                   overruling_topic: bool) -> CategoryScore | None:
    """The learned layer's cause for a ticket the rules could not place, where it has earned the decision."""
    top = top_cause(probabilities)
    if top is None:
        return None
    code, p = top
    gate = model.gate(code)
    if gate is None or p < gate or (overruling_topic and not model.may_overrule_topic(code)):
        return None
    current = scores.get(code)
    # the deciding model's record replaces its plain probability and comes last
    kept = tuple(e for e in (current.evidence if current else ()) if e != _learned_evidence(model, p))
    return CategoryScore(code, round(p, 3), kept + (_learned_evidence(model, p, gate),))


def rules_outcome(facts: TicketFacts, *, min_confidence: float = 0.5, calibration: Calibration | None = None) -> str:
    """What the rules alone decided: "cause", "topic" (a topic outside the guide) or "nothing"."""
    top = classify(facts, base=None, min_confidence=min_confidence, calibration=calibration)[0]
    if top.code != codes.OTHER:
        return "cause"
    return "nothing" if any(e.source == ev.DECISION and e.value == "no_cause" for e in top.evidence) else "topic"


def rules_found_nothing(facts: TicketFacts, **options) -> bool:
    """True when the rules alone name no cause and no topic outside the guide."""
    return rules_outcome(facts, **options) == "nothing"
