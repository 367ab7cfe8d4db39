"""Evaluating triage end to end: the labelled set's attachments are generated, really analysed, then classified."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date


def _ocr():
    """The process's one OCR engine, shared with the pipeline's default."""
    from .analysis.ocr import default_engine

    return default_engine()


FILE_DEFECTS = {"file_too_large", "unsupported_file", "unreadable"}


def _hostile(spec: dict) -> tuple[str, bytes]:
    """The labelled set names file-level defects; make a file that really has them."""
    import io
    import zipfile

    from PIL import Image

    from demo.images import make_attachment

    defect = next(d for d in spec["defects"] if d in FILE_DEFECTS)
    if defect == "file_too_large":  # a few KB of PNG that would decode to 144 megapixels
        buffer = io.BytesIO()
        Image.new("1", (12000, 12000)).save(buffer, "PNG")
        return "passport.png", buffer.getvalue()
    if defect == "unsupported_file":  # a zip archive under an image name
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("passport.heic", b"not really")
        return "passport.jpg", buffer.getvalue()
    clean = {k: v for k, v in spec.items() if k != "defects"}
    _, data, _ = make_attachment(clean)
    return "id_card.jpg", data[: len(data) // 3]  # a truncated JPEG


def item_facts(item: dict, reference_date: date):
    """TicketFacts of one labelled ticket, with real images through the real analyser (runs in a worker)."""
    from .analysis import analyse
    from demo.images import make_attachment
    from .ingest.quotes import strip_quoted
    from .triage.types import AttachmentFacts, TicketFacts

    started = time.perf_counter()
    attachments = []
    for spec in item.get("attachments", []):
        spec = dict(spec)
        spec.pop("simulated_defects", None)
        if isinstance(spec.get("expiry"), str):
            spec["expiry"] = date.fromisoformat(spec["expiry"])
        if FILE_DEFECTS & set(spec.get("defects", ())):
            filename, data = _hostile(spec)
        else:
            filename, data, _ = make_attachment(spec)
        result = analyse(data, filename=filename, reference_date=reference_date, ocr=_ocr())
        attachments.append(AttachmentFacts(filename=filename, kind=result.kind, defects=tuple(result.defects),
                                           defect_details=result.defect_details,
                                           ocr_lines=tuple(line.text for line in result.ocr_lines)))
    body = strip_quoted(item.get("body", ""))
    as_sent = item.get("body", "").strip()
    facts = TicketFacts(subject=item.get("subject", ""), body=body, attachments=tuple(attachments),
                        customer_name=item.get("customer_name", ""), as_sent=as_sent if as_sent != body else "")
    return facts, time.perf_counter() - started


def part_facts(items: list[dict], *, workers: int = 2, simulated: bool = False,
               reference_date: date | None = None) -> tuple[list, float]:
    """TicketFacts of each item: from generated images through the real analyser, or simulated from the spec."""
    if simulated:
        from .triage.evalset import simulate_facts

        return [simulate_facts(item) for item in items], 0.0
    reference_date = reference_date or date.today()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        analysed = list(pool.map(item_facts, items, [reference_date] * len(items)))
    return [facts for facts, _ in analysed], sum(seconds for _, seconds in analysed)


def score_facts(items: list[dict], facts: list, *, model=None, auto_apply: float = 0.5, rules_only: bool = False,
                base=None) -> dict:
    """Classify already analysed tickets and score them: macro-F1, exact set, first category, confusion.
    The shipped base model (or `base`, one fitted for a measurement) takes part unless `rules_only`."""
    from .triage.classify import SHIPPED, classify
    from .triage.evalset import confusion, predicted_codes, score

    base = None if rules_only else (base or SHIPPED)
    predictions, triage_seconds = [], 0.0
    for ticket_facts in facts:
        started = time.perf_counter()
        ranked = classify(ticket_facts, model=model, base=base, min_confidence=auto_apply)
        triage_seconds += time.perf_counter() - started
        predictions.append(predicted_codes(ranked, threshold=auto_apply))
    result = score(predictions, [item["labels"] for item in items])
    primaries = [item.get("primary") or item["labels"][0] for item in items]
    result["primary_accuracy"] = (sum(1 for p, g in zip(predictions, primaries) if p[0] == g) / len(items)
                                  if items else 0.0)
    result["confusion"] = confusion(predictions, [item["labels"] for item in items])
    result["triage_seconds"] = triage_seconds
    result["predictions"] = predictions
    result["facts"] = facts
    return result


def evaluate_items(items: list[dict], *, workers: int = 2, model=None, auto_apply: float = 0.5,
                   reference_date: date | None = None, simulated: bool = False) -> dict:
    """Score the items; returns the scores plus timings of analysis and of triage itself."""
    facts, analysis_seconds = part_facts(items, workers=workers, simulated=simulated, reference_date=reference_date)
    result = score_facts(items, facts, model=model, auto_apply=auto_apply)
    result["analysis_seconds"] = analysis_seconds
    return result


CURVE_SIZES = (25, 50, 100, 200)


def learning_curve(train_items: list[dict], train_facts: list, held_items: list[dict], held_facts: list, *,
                   sizes=CURVE_SIZES, seed: int = 15, auto_apply: float = 0.5, base=None) -> list[dict]:
    """Rules alone (what ships without agent training: rules, calibration and the base model; the rules
    without the base model under "rules_only"), then the agents' learned layer trained on the first n
    corrected tickets (fixed shuffle) of the training part, each scored on the held part. n larger than the
    training part is left out."""
    import random

    from .triage.learned import LearnedModel

    order = list(range(len(train_items)))
    random.Random(seed).shuffle(order)
    rows = [{"examples": 0, **_headline(score_facts(held_items, held_facts, auto_apply=auto_apply, base=base)),
             "rules_only": _headline(score_facts(held_items, held_facts, auto_apply=auto_apply, rules_only=True))}]
    for n in sizes:
        if n > len(order):
            continue
        chosen = order[:n]
        model = LearnedModel.train([(train_facts[i], set(train_items[i]["labels"])) for i in chosen])
        rows.append({"examples": n, "version": model.version, "gates": model.gates,
                     **_headline(score_facts(held_items, held_facts, model=model, auto_apply=auto_apply, base=base))})
    return rows


def _headline(result: dict) -> dict:
    return {key: result[key] for key in ("macro_f1", "exact_match", "first_category_accuracy", "n")}
