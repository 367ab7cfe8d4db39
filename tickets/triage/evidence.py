"""Evidence as records, not sentences: where it was found (source, attachment, line), what (phrase,
value) and the measured numbers. Triage creates every record here; the export renders them in English
(`english`, the contract's `evidence` strings) and the admin in the agent's language (tickets/evidence.py),
both from the same record.
"""

from __future__ import annotations

from collections.abc import Mapping

from .types import Evidence

SUBJECT = "subject"
BODY = "body"
OCR_LINE = "ocr_line"
DEFECT = "defect"
METRIC = "metric"
MODEL = "model"  # the agents' learned layer
BASE_MODEL = "base_model"  # the shipped base model (base_model.py), fitted on the labelled tune part
DECISION = "decision"
SOURCES = (SUBJECT, BODY, OCR_LINE, DEFECT, METRIC, MODEL, BASE_MODEL, DECISION)


def _metrics(values: Mapping) -> tuple[tuple[str, object], ...]:
    return tuple(sorted((str(k), v) for k, v in (values or {}).items() if isinstance(v, (str, int, float))))


def phrase(source: str, words: str) -> Evidence:
    """The customer's own words (subject or body) that point to a cause."""
    return Evidence(source=source, phrase=" ".join(words.split()))


def ocr_line(attachment: str, number: int, line: str) -> Evidence:
    """A line read from a screenshot: usually the app's own error message."""
    return Evidence(source=OCR_LINE, attachment=attachment, line=number, phrase=" ".join(line.split()))


def defect(attachment: str, code: str, details: Mapping | None = None) -> Evidence:
    """A defect analysis found in an attachment, with the numbers it was decided on."""
    return Evidence(source=DEFECT, attachment=attachment, value=code, metrics=_metrics(details or {}))


def learned(version: str, probability: float, *, gate: float | None = None, base: bool = False) -> Evidence:
    """A model's probability, with the version that gave it; `gate` when it decided the category alone (the
    rules found nothing) at the gate it earned; `base` for the shipped base model, else the agents' model."""
    metrics = (("gate", round(float(gate), 2)),) if gate is not None else ()
    return Evidence(source=BASE_MODEL if base else MODEL, value=str(version),
                    metrics=metrics + (("p", round(float(probability), 2)),))


def decided_by_model(evidence: Evidence) -> bool:
    """Whether this record is a model's decision (it placed a ticket the rules could not), not just evidence."""
    return evidence.source in (MODEL, BASE_MODEL) and any(k == "gate" for k, _ in evidence.metrics)


def no_cause(threshold: float, best: float) -> Evidence:
    """Why a ticket is "other": no cause reached the auto-apply threshold."""
    return Evidence(source=DECISION, value="no_cause",
                    metrics=(("best", round(float(best), 2)), ("threshold", round(float(threshold), 2))))


# -- storage ----------------------------------------------------------------------------------------

def to_record(evidence: Evidence) -> dict:
    """The JSON stored on the category assignment (empty fields left out)."""
    record = {"source": evidence.source}
    for key in ("phrase", "attachment", "line", "value"):
        if getattr(evidence, key):
            record[key] = getattr(evidence, key)
    if evidence.metrics:
        record["metrics"] = dict(evidence.metrics)
    return record


def from_record(record: Mapping | str | Evidence) -> Evidence | str:
    """A stored record back as Evidence; a plain string (stored before records) stays a string."""
    if isinstance(record, (Evidence, str)):
        return record
    return Evidence(source=str(record.get("source", "")), phrase=str(record.get("phrase", "")),
                    attachment=str(record.get("attachment", "")), line=int(record.get("line") or 0),
                    value=str(record.get("value", "")), metrics=_metrics(record.get("metrics") or {}))


# -- English, for the export and logs ------------------------------------------------------------------

def describe_defect(code: str, metrics: Mapping) -> str:
    """A short English description of a defect with its measured numbers."""
    parts = [code]
    if code == "glare" and "ratio" in metrics:
        parts = ["glare %d%% of area" % round(float(metrics["ratio"]) * 100)]
    elif code == "blurry" and "sharpness" in metrics:
        parts = ["blurry (sharpness %.1f)" % float(metrics["sharpness"])]
    elif code == "too_dark" and "brightness" in metrics:
        parts = ["too dark (mean brightness %.0f)" % float(metrics["brightness"])]
    elif code == "low_resolution" and "width" in metrics and "height" in metrics:
        parts = ["low resolution (%sx%s px)" % (metrics["width"], metrics["height"])]
    elif code == "expired_document" and metrics.get("expiry"):
        parts = ["expired document (expiry %s)" % metrics["expiry"]]
    elif code == "multiple_faces" and "faces" in metrics:
        parts = ["%s faces" % metrics["faces"]]
    if metrics.get("region"):
        parts.append(str(metrics["region"]))
    return ", ".join(parts)


def english(evidence: Evidence | Mapping | str) -> str:
    """One evidence record as the contract's human-readable English string."""
    ev = from_record(evidence)
    if isinstance(ev, str):
        return ev
    metrics = dict(ev.metrics)
    if ev.source in (SUBJECT, BODY):
        return '%s: "%s"' % (ev.source, ev.phrase)
    if ev.source == OCR_LINE:
        return 'OCR line %d of %s: "%s"' % (ev.line, ev.attachment, ev.phrase)
    if ev.source == DEFECT:
        return "attachment %s: %s" % (ev.attachment, describe_defect(ev.value, metrics))
    if ev.source == METRIC:
        numbers = ", ".join("%s %s" % (k, v) for k, v in sorted(metrics.items()))
        return "attachment %s: %s" % (ev.attachment, numbers or ev.value)
    if ev.source in (MODEL, BASE_MODEL):
        text = "%s v%s: p=%.2f" % ("base model" if ev.source == BASE_MODEL else "learned model", ev.value,
                                   float(metrics.get("p", 0.0)))
        if "gate" in metrics:
            text += ", decided where the rules found no cause (gate %.2f)" % float(metrics["gate"])
        return text
    if ev.source == DECISION and ev.value == "no_cause":
        return "no cause reached %.2f (best %.2f)" % (float(metrics.get("threshold", 0)), float(metrics.get("best", 0)))
    return ev.phrase or ev.value
