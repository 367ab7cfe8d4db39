"""Rule layer: phrases in the customer's words and OCR lines, plus attachment defects, as scored causes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import codes
from .phrases import ATTACHMENT_TURNED_DOWN, BROAD, BROAD_MORE, CAUSE_OBJECTS, OFF_GUIDE, RULES, STEP_ACCEPTED, Rule
from . import evidence as ev
from .text import SENTENCE_BREAK, Normalized, clause_bounds, context_reason, is_negated, normalize
from .types import AttachmentFacts, CategoryScore, Evidence, TicketFacts

# An app's own error message is worth more than the customer's paraphrase of it.
OCR_BONUS = 0.08
OCR_CEILING = 0.95
# A shared symptom ("upload failed") counts for less once a specific cause explains it.
EXPLAINED_AWAY_FACTOR = 0.6
EXPLAINS_AWAY_AT = 0.75
MAX_CONFIDENCE = 0.99
# A cause read in forwarded or quoted mail (used only when the customer's own words name none).
FORWARDED_FACTOR = 0.9
UNIT_OVERLAP_SHARE = 0.25
# A photo's defect the customer does not write about, beside a cause they do: a hint, below the hint line.
DEFECT_BESIDE_WORDS = 0.5

# (attachment kind, defect) -> (category, probability when this is the only signal).
DEFECT_CAUSES: dict[tuple[str, str], tuple[str, float]] = {
    (codes.ID_DOCUMENT, codes.GLARE): (codes.DOCUMENT_REQUIREMENTS, 0.85),
    (codes.ID_DOCUMENT, codes.BLURRY): (codes.DOCUMENT_REQUIREMENTS, 0.85),
    (codes.ID_DOCUMENT, codes.CROPPED): (codes.DOCUMENT_REQUIREMENTS, 0.85),
    (codes.ID_DOCUMENT, codes.LOW_RESOLUTION): (codes.DOCUMENT_REQUIREMENTS, 0.8),
    (codes.ID_DOCUMENT, codes.EXPIRED_DOCUMENT): (codes.DOCUMENT_REQUIREMENTS, 0.92),
    (codes.ID_DOCUMENT, codes.UNREADABLE): (codes.DOCUMENT_REQUIREMENTS, 0.8),
    (codes.ID_DOCUMENT, codes.UNSUPPORTED_FILE): (codes.DOCUMENT_REQUIREMENTS, 0.8),
    (codes.ID_DOCUMENT, codes.FILE_TOO_LARGE): (codes.DOCUMENT_REQUIREMENTS, 0.8),
    (codes.ID_DOCUMENT, codes.TOO_DARK): (codes.DOCUMENT_REQUIREMENTS, 0.75),
    (codes.ID_DOCUMENT, codes.NO_FACE): (codes.DOCUMENT_REQUIREMENTS, 0.55),
    (codes.SELFIE, codes.TOO_DARK): (codes.FACE_RECOGNITION_FAILED, 0.85),
    (codes.SELFIE, codes.NO_FACE): (codes.FACE_RECOGNITION_FAILED, 0.88),
    (codes.SELFIE, codes.MULTIPLE_FACES): (codes.FACE_RECOGNITION_FAILED, 0.88),
    (codes.SELFIE, codes.BLURRY): (codes.FACE_RECOGNITION_FAILED, 0.82),
    (codes.SELFIE, codes.LOW_RESOLUTION): (codes.FACE_RECOGNITION_FAILED, 0.7),
    (codes.SELFIE, codes.GLARE): (codes.FACE_RECOGNITION_FAILED, 0.6),
    (codes.SELFIE, codes.CROPPED): (codes.FACE_RECOGNITION_FAILED, 0.6),
    (codes.SELFIE, codes.UNREADABLE): (codes.FACE_RECOGNITION_FAILED, 0.5),
    (codes.SELFIE, codes.UNSUPPORTED_FILE): (codes.DOCUMENT_REQUIREMENTS, 0.5),
    (codes.SELFIE, codes.FILE_TOO_LARGE): (codes.DOCUMENT_REQUIREMENTS, 0.5),
    # A file the customer sent us that we cannot read is only a hint that their upload was refused too.
    (codes.SCREENSHOT, codes.UNSUPPORTED_FILE): (codes.DOCUMENT_REQUIREMENTS, 0.35),
    (codes.SCREENSHOT, codes.FILE_TOO_LARGE): (codes.DOCUMENT_REQUIREMENTS, 0.35),
    (codes.OTHER_KIND, codes.UNSUPPORTED_FILE): (codes.DOCUMENT_REQUIREMENTS, 0.4),
    (codes.OTHER_KIND, codes.FILE_TOO_LARGE): (codes.DOCUMENT_REQUIREMENTS, 0.4),
    (codes.OTHER_KIND, codes.UNREADABLE): (codes.DOCUMENT_REQUIREMENTS, 0.35),
}

# OCR text of a photographed document is the document itself ("Date of expiry"), not an error
# message, so phrase rules only read screenshots and unclassified images.
OCR_KINDS = frozenset({codes.SCREENSHOT, codes.OTHER_KIND})


@dataclass(frozen=True)
class Signal:
    """One piece of evidence for one category."""

    code: str
    weight: float
    evidence: Evidence
    key: str
    source: str  # "subject" | "body" | "ocr" | "attachment"
    generic: bool = False
    follow_up: bool = False
    unit: str = ""  # phrases from one clause or one OCR line say one thing: they are not independent
    detail: dict = field(default_factory=dict, compare=False, hash=False)
    position: int = 1 << 20  # subject before body before attachments, then by offset
    shared_with: frozenset = field(default_factory=frozenset, compare=False, hash=False)
    objectless: bool = False  # a shared symptom word in a ticket that never names its cause's object


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = 0
    for m in SENTENCE_BREAK.finditer(text, 0, start):
        lo = m.end()
    m = SENTENCE_BREAK.search(text, end)
    return lo, (m.start() if m else len(text))


def _stated_after(pattern, text: str, end: int) -> bool:
    """Whether the pattern is said after `end` as a fact, not supposed or denied ("如果有问题就直接驳回")."""
    return any(not is_negated(text, *m.span()) and context_reason(text, *m.span()) != "hypothetical"
               for m in pattern.finditer(text, end))


def _rule_matches(norm: Normalized, rules: tuple[Rule, ...] = RULES + BROAD + BROAD_MORE + OFF_GUIDE) -> list[tuple[Rule, int, int]]:
    """Every match that is the customer's problem (not negated, vetoed or context), strongest of overlaps kept."""
    text = norm.text
    found: list[tuple[Rule, int, int]] = []
    for rule in rules:
        for m in rule.pattern.finditer(text):
            start, end = m.span()
            if start == end:
                continue
            if rule.unless is not None:
                lo, hi = clause_bounds(text, start, end)
                if rule.unless.search(text, lo, hi):
                    continue
            if rule.unless_sentence is not None and rule.unless_sentence.search(text, *_sentence_bounds(text, start, end)):
                continue
            if rule.unless_after is not None and _stated_after(rule.unless_after, text, end):
                continue
            if is_negated(text, start, end) or context_reason(text, start, end, remedy=rule.remedy):
                continue
            found.append((rule, start, end))
    found.sort(key=lambda f: (-f[0].weight, f[0].follow_up, f[1]))  # of equal phrases, the one that is not a follow-up
    kept: list[tuple[Rule, int, int]] = []
    for rule, start, end in found:
        if any(k.code == rule.code and start < ke and ks < end for k, ks, ke in kept):
            continue
        kept.append((rule, start, end))
    return kept


def _text_signals(text: str, source: str) -> list[Signal]:
    norm = normalize(text)
    out = []
    offset = 0 if source == "subject" else 1 << 16
    for rule, start, end in _rule_matches(norm):
        quote = norm.quote(start, end)
        unit = "%s:%d" % (source, clause_bounds(norm.text, start, end)[0])
        out.append(Signal(rule.code, rule.weight, ev.phrase(source, quote), rule.name, source, rule.generic,
                          rule.follow_up, unit, position=offset + start, shared_with=rule.shared_with))
    return out


def _steps_accepted(facts: TicketFacts) -> set[str]:
    """Attachment kinds whose step the customer says already worked (their defects are not the problem)."""
    accepted = set()
    for kind, pattern in STEP_ACCEPTED.items():
        for text in (facts.subject, facts.body):
            norm = normalize(text)
            if any(not is_negated(norm.text, *m.span()) for m in pattern.finditer(norm.text)):
                accepted.add(kind)
    return accepted


def _ocr_signals(att: AttachmentFacts) -> list[Signal]:
    out = []
    for number, line in enumerate(att.ocr_lines, 1):
        for rule, _start, _end in _rule_matches(normalize(line)):
            weight = min(OCR_CEILING, rule.weight + OCR_BONUS) if rule.weight >= 0.6 else rule.weight
            evidence = ev.ocr_line(att.filename, number, line)
            detail = {"attachment": att.filename, "line": line.strip()}
            unit = "ocr:%s:%d" % (att.filename, number)
            out.append(Signal(rule.code, weight, evidence, "ocr." + rule.name, "ocr", rule.generic, rule.follow_up,
                              unit, detail, shared_with=rule.shared_with))
    return out


def _defect_signals(att: AttachmentFacts) -> list[Signal]:
    out = []
    for defect in att.defects:
        cause = DEFECT_CAUSES.get((att.kind, defect))
        if cause is None:
            continue
        code, weight = cause
        evidence = ev.defect(att.filename, defect, att.defect_details.get(defect) or {})
        detail = {"attachment": att.filename, "defect": defect, "kind": att.kind}
        key = "defect.%s.%s" % (att.kind, defect)
        out.append(Signal(code, weight, evidence, key, "attachment", False, False, key + ":" + att.filename, detail))
    return out


def _forwarded_signals(facts: TicketFacts) -> list[Signal]:
    """Causes named in the mail the customer quoted or forwarded, worth a little less than their own words."""
    own = _text_signals(facts.body, "body")
    seen = {(s.code, s.key) for s in own}
    out = []
    for s in _text_signals(facts.as_sent, "body"):
        if (s.code, s.key) in seen or s.code == codes.OTHER:
            continue
        out.append(replace(s, weight=round(s.weight * FORWARDED_FACTOR, 3), key="forwarded." + s.key,
                           unit="forwarded:" + s.unit))
    return out


def collect_signals(facts: TicketFacts) -> list[Signal]:
    """All evidence in a ticket: subject, body, screenshot OCR lines and attachment defects.

    When none of it names a cause, a notice the customer forwarded or quoted is read too: that is what they ask about.
    """
    signals = _text_signals(facts.subject, "subject") + _text_signals(facts.body, "body")
    accepted = _steps_accepted(facts) if any(att.defects for att in facts.attachments) else set()
    for att in facts.attachments:
        if att.kind in OCR_KINDS:
            signals.extend(_ocr_signals(att))
        if att.kind not in accepted:
            signals.extend(_defect_signals(att))
    if facts.as_sent and not any(not s.follow_up for s in signals):
        signals.extend(_forwarded_signals(facts))
    return _defects_beside_words(facts, _mark_objectless(facts, signals))


def _defects_beside_words(facts: TicketFacts, signals: list[Signal]) -> list[Signal]:
    """A photo's defect is the customer's problem when their words say so: beside another cause that their words
    make sure, a defect of a cause their words never name, in a photo they never say was turned down, is a hint."""
    worded = {s.code for s in signals if s.source != "attachment"}
    sure = {s.code for s in signals if s.source != "attachment" and not s.generic and not s.follow_up
            and s.weight >= EXPLAINS_AWAY_AT and s.code != codes.OTHER}
    if not sure:
        return signals
    texts = [normalize(t).text for t in (facts.subject, facts.body) if t]
    said = {kind for kind, pattern in ATTACHMENT_TURNED_DOWN.items()
            if any(not is_negated(t, *m.span()) for t in texts for m in pattern.finditer(t))}
    out = []
    for s in signals:
        if s.source == "attachment" and s.code not in worded and sure - {s.code} and s.detail.get("kind") not in said:
            s = replace(s, weight=round(s.weight * DEFECT_BESIDE_WORDS, 3))
        out.append(s)
    return out


def _mark_objectless(facts: TicketFacts, signals: list[Signal]) -> list[Signal]:
    """Shared symptom words of a cause whose object (a face, a selfie) the ticket never names nor attaches."""
    missing = set()
    for code, (pattern, kinds) in CAUSE_OBJECTS.items():
        if not any(s.code == code and s.shared_with for s in signals):
            continue
        if any(att.kind in kinds for att in facts.attachments):
            continue
        texts = [facts.subject, facts.body] + [line for att in facts.attachments for line in att.ocr_lines]
        if not any(text and pattern.search(normalize(text).text) for text in texts):
            missing.add(code)
    return [replace(s, objectless=True) if s.code in missing and s.shared_with else s for s in signals]


def _unit_probability(weights: list[float]) -> float:
    """Phrases in one clause or OCR line: the strongest counts, the rest only nudge it."""
    best = max(weights)
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return best + UNIT_OVERLAP_SHARE * ((1.0 - miss) - best)


def _confidence(signals: list[Signal], explained: bool, sure_neighbours: frozenset = frozenset(),
                specific_units: frozenset = frozenset(), beside_another: bool = False) -> float:
    """Independent units as 1 - prod(1 - p); a generic symptom explained by another cause counts for less, and so
    does a symptom word shared with a sure neighbouring cause or said in the clause of another cause's phrase
    ("设备暂不支持活体检测": the liveness check is what the device cannot run), and so does a shared symptom word
    in a ticket that never names its cause's object ("ID photo too dark": no face, no selfie)."""
    units: dict[str, list[float]] = {}
    for s in signals:
        shared = (explained and (bool(s.shared_with & sure_neighbours) or (bool(s.shared_with) and s.unit in specific_units))
                  or (beside_another and s.objectless))
        weight = s.weight * EXPLAINED_AWAY_FACTOR if ((explained and s.generic) or shared) else s.weight
        units.setdefault(s.unit or s.key, []).append(weight)
    miss = 1.0
    for weights in units.values():
        miss *= 1.0 - _unit_probability(weights)
    return round(min(MAX_CONFIDENCE, 1.0 - miss), 3)


def combine(signals: list[Signal], *, sure: Callable[[str, float], bool] | None = None) -> list[CategoryScore]:
    """Per category: strongest signal per phrase, then independent signals as 1 - prod(1 - p).

    `sure(code, confidence)` says whether a cause (or a topic outside the guide) is sure on its own evidence
    (default: at least EXPLAINS_AWAY_AT); beside it, follow-up words (waiting, asking how long) are context.
    """
    sure = sure or (lambda code, confidence: confidence >= EXPLAINS_AWAY_AT)
    by_code: dict[str, dict[str, Signal]] = {}
    for s in signals:
        keys = by_code.setdefault(s.code, {})
        # The same phrase in subject and body is one signal, not two.
        key = s.key if s.source in ("ocr", "attachment") else "text." + s.key
        if key not in keys or keys[key].weight < s.weight:
            keys[key] = s
    specific = {code for code, keys in by_code.items()
                if any(not s.generic and not s.follow_up and s.weight >= EXPLAINS_AWAY_AT for s in keys.values())}
    ordered = {code: sorted(keys.values(), key=lambda s: -s.weight) for code, keys in by_code.items()}
    explained = {code: code not in specific and bool(specific - {code}) for code in by_code}
    neighbours = frozenset(specific)
    # Any other cause said clearly (even in words it shares, "ID photo not accepted") owns an objectless symptom word.
    clear = {code for code, keys in by_code.items()
             if code != codes.OTHER and any(not s.follow_up and s.weight >= EXPLAINS_AWAY_AT for s in keys.values())}
    beside = {code: bool(clear - {code}) for code in by_code}
    units_of = {code: frozenset(s.unit for s in signals if s.code == code and s.unit and not s.generic
                                and not s.follow_up and s.weight >= EXPLAINS_AWAY_AT) for code in by_code}
    others_units = {code: frozenset().union(*(u for c, u in units_of.items() if c != code)) for code in by_code}
    own = {code: [s for s in signals if not s.follow_up] for code, signals in ordered.items()}
    certain = {code for code, signals in own.items()
               if signals and sure(code, _confidence(signals, explained[code], neighbours, others_units[code], beside[code]))}
    scores = []
    for code, signals in ordered.items():
        if certain - {code}:  # another cause is sure: waiting words are how long it has lasted
            signals = own[code]
            if not signals:
                continue
        scores.append(CategoryScore(code, _confidence(signals, explained[code], neighbours, others_units[code],
                                                      beside[code]),
                                    tuple(dict.fromkeys(s.evidence for s in signals)),
                                    min(s.position for s in signals)))
    scores.sort(key=lambda c: (-c.confidence, c.first_seen, codes.CATEGORIES.index(c.code)))
    return scores


def rule_scores(facts: TicketFacts, *, sure: Callable[[str, float], bool] | None = None) -> list[CategoryScore]:
    """Every category with any signal, most confident first."""
    return combine(collect_signals(facts), sure=sure)


def reads_known_wording(facts: TicketFacts) -> bool:
    """Whether any rule's phrase occurs in the subject, body or a screenshot line, even one the rules set aside
    as context, negation or a hint: such a ticket the rules read and weighed, they did not miss it."""
    texts = [facts.subject, facts.body] + [line for att in facts.attachments for line in att.ocr_lines]
    for text in texts:
        if not text:
            continue
        norm = normalize(text).text
        for rule in RULES + BROAD + BROAD_MORE + OFF_GUIDE:
            if any(m.end() > m.start() for m in rule.pattern.finditer(norm)):
                return True
    return False


def states_a_known_problem(line: str) -> bool:
    """Whether one OCR'd line says a problem of the support guide (the lines a screenshot's preview highlights)."""
    return bool(_rule_matches(normalize(line)))


def error_line_for(facts: TicketFacts, code: str) -> tuple[str, str] | None:
    """The (attachment, OCR line) that most strongly supports a category, to quote in a reply."""
    best: Signal | None = None
    for att in facts.attachments:
        if att.kind not in OCR_KINDS:
            continue
        for s in _ocr_signals(att):
            if s.code == code and (best is None or s.weight > best.weight):
                best = s
    return (best.detail["attachment"], best.detail["line"]) if best else None
