"""The labelled evaluation set: load it, turn its specs into TicketFacts without images, and score.

Run `python -m tickets.triage.evalset tests/samples/triage/tickets.jsonl` for train and held-out
numbers. Held-out tickets are for measuring only: this script never lists their individual results.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import codes
from .classify import classify
from .types import AttachmentFacts, TicketFacts

AUTO_APPLY = 0.5
_REGIONS = ("top-left", "top", "top-right", "left", "center", "right", "bottom-left", "bottom", "bottom-right")

# Minimal stand-in for tickets.ingest.quotes.strip_quoted, used only while that module is absent.
_QUOTE_HEADERS = re.compile(
    r"^\s*(?:在.{0,80}写道[:：]?|on .{0,200}wrote:?|-{2,}\s*original message\s*-{2,}|-{2,}\s*原始邮件\s*-{2,}"
    r"|发件人[:：].*|from:\s.*@.*|寄件者[:：].*)\s*$",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^(?:--|-- |__+)\s*$")
_DEVICE_FOOTER = re.compile(r"^\s*(?:sent from my .*|发自我的.*|從我的.*傳送)\s*$", re.IGNORECASE)


def _fallback_strip(body: str) -> str:
    """Cut a quoted earlier reply, '>' lines and a '-- ' signature; keep the customer's own words."""
    kept: list[str] = []
    for line in body.splitlines():
        if _QUOTE_HEADERS.match(line) or _SIGNATURE.match(line):
            break
        if line.lstrip().startswith(">") or _DEVICE_FOOTER.match(line):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def strip_body(body: str) -> str:
    """The real stripper when the ingest package has it, else the local fallback."""
    try:
        from tickets.ingest.quotes import strip_quoted
    except ImportError:
        return _fallback_strip(body)
    result = strip_quoted(body)
    return result if isinstance(result, str) else str(getattr(result, "text", body))


def load_evalset(path: str | Path) -> list[dict]:
    """One dict per JSONL line; blank lines skipped."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _ocr_noise(line: str, rng: random.Random) -> str:
    """Light, OCR-like damage: ASCII punctuation, doubled spaces, a lookalike character now and then."""
    line = line.replace("，", ",").replace("。", ".") if rng.random() < 0.5 else line
    if rng.random() < 0.3:
        line = line.replace(" ", "  ", 1)
    if rng.random() < 0.15:
        swaps = [(i, c) for i, c in enumerate(line) if c in "Ol"]
        if swaps:
            i, c = rng.choice(swaps)
            line = line[:i] + {"O": "0", "l": "I"}[c] + line[i + 1:]
    return line


def _defect_details(defects: Sequence[str], spec: dict, rng: random.Random) -> dict:
    details: dict = {}
    for d in defects:
        if d == codes.GLARE:
            details[d] = {"ratio": round(rng.uniform(0.03, 0.15), 3), "region": spec.get("region") or rng.choice(_REGIONS)}
        elif d == codes.BLURRY:
            details[d] = {"sharpness": round(rng.uniform(15, 60), 1)}
        elif d == codes.TOO_DARK:
            details[d] = {"brightness": round(rng.uniform(20, 55), 1)}
        elif d == codes.LOW_RESOLUTION:
            details[d] = {"width": 480, "height": 320}
        elif d == codes.EXPIRED_DOCUMENT:
            details[d] = {"expiry": spec.get("expiry", "2024-03-01")}
        elif d == codes.MULTIPLE_FACES:
            details[d] = {"faces": 2}
        elif d == codes.CROPPED:
            details[d] = {"edge": rng.choice(("left", "right", "top", "bottom"))}
        else:
            details[d] = {}
    return details


def simulate_facts(item: dict, *, ocr_noise: bool = True) -> TicketFacts:
    """TicketFacts as analysis would produce them, without images: spec lines become OCR, spec defects become defects."""
    rng = random.Random(str(item.get("id", "")))
    attachments = []
    counters: dict[str, int] = {}
    for spec in item.get("attachments", []):
        kind = spec.get("type", codes.OTHER_KIND)
        counters[kind] = counters.get(kind, 0) + 1
        n = counters[kind]
        if kind == codes.SCREENSHOT:
            lines = tuple(_ocr_noise(l, rng) if ocr_noise else l for l in spec.get("lines", []))
            name = spec.get("filename") or ("screenshot.png" if n == 1 else "screenshot_%d.png" % n)
            defects = tuple(spec.get("defects", spec.get("simulated_defects", [])))
            attachments.append(AttachmentFacts(name, kind, defects, {}, lines))
            continue
        defects = tuple(spec.get("defects", []))
        if kind == codes.ID_DOCUMENT:
            name = spec.get("filename") or "%s.jpg" % spec.get("doc", "document")
        elif kind == codes.SELFIE:
            name = spec.get("filename") or "selfie.jpg"
        else:
            name = spec.get("filename") or "attachment_%d" % n
        attachments.append(AttachmentFacts(name, kind, defects, _defect_details(defects, spec, rng), ()))
    body = strip_body(item.get("body", ""))
    as_sent = item.get("body", "").strip()
    return TicketFacts(
        subject=item.get("subject", ""),
        body=body,
        as_sent=as_sent if as_sent != body else "",
        attachments=tuple(attachments),
        customer_name=item.get("customer_name", ""),
        language=item.get("language", ""),
    )


def predicted_codes(ranked: Iterable, threshold: float = AUTO_APPLY) -> list[str]:
    """What would be auto-applied: codes at or above the threshold, most confident first ("other" if none)."""
    out = [s.code for s in ranked if s.confidence >= threshold]
    return out or [codes.OTHER]


def score(predictions: Sequence[Sequence[str]], labels: Sequence[Iterable[str]]) -> dict:
    """Per-category precision/recall/F1, macro-F1 over categories present in labels, first-category accuracy."""
    gold = [set(l) for l in labels]
    present = sorted({c for g in gold for c in g}, key=lambda c: codes.CATEGORIES.index(c) if c in codes.CATEGORIES else 99)
    per: dict[str, dict] = {}
    for c in present:
        tp = sum(1 for p, g in zip(predictions, gold) if c in p and c in g)
        fp = sum(1 for p, g in zip(predictions, gold) if c in p and c not in g)
        fn = sum(1 for p, g in zip(predictions, gold) if c not in p and c in g)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[c] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    first = sum(1 for p, g in zip(predictions, gold) if p and p[0] in g)
    exact = sum(1 for p, g in zip(predictions, gold) if set(p) == g)
    n = len(gold)
    return {
        "per_category": per,
        "macro_f1": sum(v["f1"] for v in per.values()) / len(per) if per else 0.0,
        "first_category_accuracy": first / n if n else 0.0,
        "exact_match": exact / n if n else 0.0,
        "n": n,
    }


def confusion(predictions: Sequence[Sequence[str]], labels: Sequence[Iterable[str]]) -> dict[str, dict[str, int]]:
    """gold -> predicted -> tickets: how often a ticket labelled with the row's category was given the
    column's. The diagonal is the hits; the rest of a row is what else (or "-": nothing of its own) the
    tickets of that category were tagged with."""
    table: dict[str, dict[str, int]] = {}
    for predicted, gold in zip(predictions, labels):
        gold, predicted = set(gold), set(predicted)
        for g in gold:
            row = table.setdefault(g, {})
            columns = ({g} & predicted) | (predicted - gold) or {"-"}
            for p in columns:
                row[p] = row.get(p, 0) + 1
    return table


def evaluate(items: Sequence[dict], *, model=None) -> tuple[dict, list[list[str]]]:
    """Classify each item through simulate_facts and score against its labels."""
    preds = [predicted_codes(classify(simulate_facts(it), model=model)) for it in items]
    return score(preds, [it["labels"] for it in items]), preds


def _report(name: str, result: dict, out) -> None:
    out.write("%s: n=%d macro-F1=%.3f first-category=%.3f exact=%.3f\n" % (
        name, result["n"], result["macro_f1"], result["first_category_accuracy"], result["exact_match"]))
    for code, v in result["per_category"].items():
        out.write("  %-24s P=%.2f R=%.2f F1=%.2f (n=%d)\n" % (code, v["precision"], v["recall"], v["f1"], v["support"]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--learned", action="store_true", help="also train the learned model on the train split and blend it in")
    parser.add_argument("--errors", action="store_true", help="list the train split's misclassified tickets (never the held-out ones)")
    args = parser.parse_args(argv)
    items = load_evalset(args.path)
    train = [it for it in items if it.get("split") == "train"]
    heldout = [it for it in items if it.get("split") == "heldout"]
    model = None
    if args.learned:
        from .learned import LearnedModel

        model = LearnedModel.train([(simulate_facts(it), set(it["labels"])) for it in train])
        sys.stdout.write("learned model v%s on %d examples\n" % (model.version, model.n_examples))
    result, preds = evaluate(train, model=model)
    _report("train", result, sys.stdout)
    if args.errors:
        for it, p in zip(train, preds):
            if set(p) != set(it["labels"]):
                sys.stdout.write("  ! %s gold=%s pred=%s | %s\n" % (it["id"], it["labels"], p, it["subject"]))
    result, _ = evaluate(heldout, model=model)
    _report("heldout", result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


# -- the ticket set written apart from the rules (evalsets/triage/<part>.jsonl) ---------------------

# fresh: a held-out part written after the i15 rules (measured on, never tuned on)
PARTS = ("tune", "test", "seen", "fresh", "frozen")


def ticketset_item(row: dict) -> dict:
    """A row of evalsets/triage/<part>.jsonl in the item shape the scorers and image generator read.

    The written set names each attachment's kind, its defects and the error line the customer's screen
    showed; generated images carry exactly those, so real analysis can find (or miss) them.
    """
    attachments = []
    for att in row.get("attachments", []):
        kind = att.get("kind") or codes.OTHER_KIND
        spec = {"type": kind, "filename": att.get("filename") or None, "defects": list(att.get("defects", []))}
        if kind == codes.SCREENSHOT:
            # A screenshot without an error line still shows something: the app's title, not an error.
            spec["lines"] = [att["ocr_line"]] if att.get("ocr_line") else ["Identity verification"]
            spec["lang"] = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in spec["lines"][0]) else "en"
            # The generator draws clean screens: a screenshot's blur or darkness only exists in simulated facts.
            spec["simulated_defects"] = spec.pop("defects")
        elif kind == codes.OTHER_KIND:
            spec["type"] = "text"
        attachments.append({k: v for k, v in spec.items() if v is not None})
    return {
        "id": row["id"], "subject": row.get("subject", ""), "body": row.get("body", ""),
        "attachments": attachments, "labels": list(row["categories"]), "primary": row["primary"],
        "voice": row.get("voice", ""),
    }


def load_ticketset(directory: str | Path, part: str) -> list[dict]:
    """One part of the written ticket set as scorer items."""
    return [ticketset_item(row) for row in load_evalset(Path(directory) / ("%s.jsonl" % part))]


def fit_calibration(items: Sequence[dict], *, fitted_on: str):
    """Platt scaling of each category's rule score on labelled items (the tune part, never frozen)."""
    from .calibration import Calibration
    from .rules import rule_scores

    rows = [({s.code: s.confidence for s in rule_scores(simulate_facts(it))}, set(it["labels"])) for it in items]
    return Calibration.fit(rows, fitted_on=fitted_on)
