"""Score the product's image analysis on the independent labelled set.

    python -m evalsets.images.score --part tune|test|spent [--limit N] [--kind K] [--json OUT] [--workers 2]
    python -m evalsets.images.score --part frozen --i-am-done     # only when the work is finished
    python -m evalsets.images.score --part tune --ocr-only [--engine tesseract --engine rapidocr]

Runs tickets.analysis.pipeline.analyse(bytes, filename=..., reference_date=...) on every image of the part
and reports kind accuracy and confusion, per-defect precision/recall/F1 and macro-F1, clean items given a
false defect, key-line character error rate per language x theme and per app style, MRZ read rate with
valid check digits, expiry found rate and timings. --ocr-only runs only OCR engines on the screenshots.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from . import build, dataset

KINDS = ("id_document", "screenshot", "selfie", "other")
PHOTO_DEFECTS = tuple(d for d in dataset.DEFECTS)
FROZEN_WARNING = ("WARNING: scoring the FROZEN part. It exists to be scored once, when the work is done; "
                  "do not tune on what you see here.")


# ---------------------------------------------------------------- running the product

def _init_worker() -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    import cv2

    cv2.setNumThreads(1)


def analyse_item(args: tuple[dict, str, bool]) -> dict:
    """Run the product on one image; return only what is scored (JSON-friendly)."""
    item, path, neutral = args
    from tickets.analysis.pipeline import analyse

    data = Path(path).read_bytes()
    filename = f"attachment.{'png' if item['format'] == 'png' else 'jpg'}" if neutral else item["filename"]
    start = time.perf_counter()
    res = analyse(data, filename=filename, reference_date=date.fromisoformat(item["reference_date"]), preview=False)
    seconds = time.perf_counter() - start
    mrz = res.mrz or None
    return {"id": item["id"], "kind": res.kind, "defects": sorted(res.defects), "seconds": round(seconds, 3),
            "mrz_lines": list(mrz.get("lines", [])) if mrz else None,
            "mrz_checks_ok": bool(mrz.get("checks_ok")) if mrz else False,
            "expiry": res.expiry_date, "ocr_text": res.ocr_text if item["kind"] == "screenshot" else "",
            "error": res.error}


# ---------------------------------------------------------------- metrics

def cer(expected: str, text: str) -> float:
    """Character error rate of the key line against OCR text (the product's own measure when importable)."""
    try:
        from tickets.analysis.ocr import character_error_rate
    except ImportError:  # pragma: no cover - the product is always importable here
        return _plain_cer(expected, text)
    return character_error_rate([expected], text)


def _plain_cer(expected: str, text: str) -> float:
    import re
    import unicodedata

    needle = re.sub(r"\s+", "", unicodedata.normalize("NFKC", expected))
    hay = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if not needle:
        return 0.0
    prev = [0] * (len(hay) + 1)
    for i, a in enumerate(needle, 1):
        cur = [i] + [0] * len(hay)
        for j, b in enumerate(hay, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != b))
        prev = cur
    return min(prev) / len(needle)


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "support": tp + fn,
            "tp": tp, "fp": fp, "fn": fn}


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summarise(items: list[dict], preds: dict[str, dict]) -> dict:
    """Every number of the report, from labels and predictions."""
    out: dict = {"n": len(items)}
    # kind
    confusion: dict[str, Counter] = {k: Counter() for k in KINDS}
    for it in items:
        confusion[it["kind"]][preds[it["id"]]["kind"]] += 1
    out["kind_accuracy"] = round(sum(confusion[k][k] for k in KINDS) / max(1, len(items)), 3)
    out["kind_accuracy_per_kind"] = {k: round(confusion[k][k] / sum(confusion[k].values()), 3)
                                     for k in KINDS if sum(confusion[k].values())}
    out["kind_confusion"] = {k: dict(confusion[k]) for k in KINDS if confusion[k]}
    docs = [it for it in items if it["kind"] == "id_document"]
    by_template: dict[str, list[bool]] = defaultdict(list)
    by_capture: dict[str, list[bool]] = defaultdict(list)
    for it in docs:
        ok = preds[it["id"]]["kind"] == "id_document"
        by_template[it["document"]["template"]].append(ok)
        by_capture[it["scene"]["capture"]].append(ok)
    out["document_kind_accuracy_per_template"] = {k: round(sum(v) / len(v), 3) for k, v in sorted(by_template.items())}
    out["document_kind_accuracy_per_capture"] = {k: round(sum(v) / len(v), 3) for k, v in sorted(by_capture.items())}
    # defects, over documents and selfies
    judged = [it for it in items if it["kind"] in ("id_document", "selfie")]
    per_defect = {}
    for d in dataset.DEFECTS:
        tp = sum(1 for it in judged if d in it["defects"] and d in preds[it["id"]]["defects"])
        fp = sum(1 for it in judged if d not in it["defects"] and d in preds[it["id"]]["defects"])
        fn = sum(1 for it in judged if d in it["defects"] and d not in preds[it["id"]]["defects"])
        per_defect[d] = _prf(tp, fp, fn)
    out["defects"] = per_defect
    scored = [v["f1"] for v in per_defect.values() if v["support"]]
    out["defect_macro_f1"] = round(sum(scored) / len(scored), 3) if scored else None
    # "clean": no defect of the picture (an expired document may be clean); "false": predicted, not labelled
    def clean(it: dict) -> bool:
        return not set(it["defects"]) - {"expired_document"}

    def false_defects(it: dict) -> set[str]:
        return set(preds[it["id"]]["defects"]) - set(it["defects"])

    for kind in ("id_document", "selfie"):
        group = [it for it in items if it["kind"] == kind and clean(it)]
        wrong = [it for it in group if false_defects(it)]
        out[f"clean_{kind}_with_false_defect"] = {"share": round(len(wrong) / len(group), 3) if group else None,
                                                  "n": len(group), "false": dict(Counter(
                                                      d for it in wrong for d in sorted(false_defects(it))))}
    both = [it for it in judged if clean(it)]
    out["clean_with_false_defect"] = round(sum(1 for it in both if false_defects(it)) / len(both), 3) if both else None
    out["any_with_false_defect"] = round(sum(1 for it in judged if false_defects(it)) / len(judged), 3) \
        if judged else None
    for kind in ("screenshot", "other"):
        group = [it for it in items if it["kind"] == kind]
        out[f"{kind}_with_any_defect"] = {
            "share": round(sum(1 for it in group if preds[it["id"]]["defects"]) / len(group), 3) if group else None,
            "defects": dict(Counter(d for it in group for d in preds[it["id"]]["defects"]))}
    # OCR of screens
    screens = [it for it in items if it["kind"] == "screenshot"]
    out.update(_cer_tables(screens, {it["id"]: cer(it["screen"]["key_line"], preds[it["id"]]["ocr_text"])
                                     for it in screens}))
    # MRZ and expiry
    with_mrz = [it for it in docs if it["document"]["mrz"]]
    read = [it for it in with_mrz if preds[it["id"]]["mrz_checks_ok"]]
    exact = [it for it in read if preds[it["id"]]["mrz_lines"] == it["document"]["mrz"]]
    out["mrz"] = {"n": len(with_mrz), "read_valid_rate": round(len(read) / len(with_mrz), 3) if with_mrz else None,
                  "read_exact_rate": round(len(exact) / len(with_mrz), 3) if with_mrz else None,
                  "per_format": _rate_by(with_mrz, lambda it: it["document"]["mrz_format"],
                                         lambda it: preds[it["id"]]["mrz_checks_ok"]),
                  "clean_photos_read_valid_rate": _rate([preds[it["id"]]["mrz_checks_ok"] for it in with_mrz
                                                         if not set(it["defects"]) - {"expired_document"}])}
    with_expiry = [it for it in docs if it["document"]["expiry"]]
    out["expiry"] = {
        "n": len(with_expiry),
        "found_rate": _rate([preds[it["id"]]["expiry"] == it["document"]["expiry"] for it in with_expiry]),
        "printed_only_found_rate": _rate([preds[it["id"]]["expiry"] == it["document"]["expiry"] for it in with_expiry
                                          if not it["document"]["mrz"]]),
        "clean_found_rate": _rate([preds[it["id"]]["expiry"] == it["document"]["expiry"] for it in with_expiry
                                   if not set(it["defects"]) - {"expired_document"}]),
        "per_template": _rate_by(with_expiry, lambda it: it["document"]["template"],
                                 lambda it: preds[it["id"]]["expiry"] == it["document"]["expiry"]),
        "long_term_with_expiry": sum(1 for it in docs if it["document"]["long_term"] and preds[it["id"]]["expiry"]),
    }
    # time
    times: dict[str, list[float]] = defaultdict(list)
    for it in items:
        times[it["kind"]].append(preds[it["id"]]["seconds"])
    out["seconds"] = {k: {"median": round(statistics.median(v), 3), "p90": round(sorted(v)[int(0.9 * (len(v) - 1))], 3),
                          "n": len(v)} for k, v in times.items()}
    out["errors"] = {it["id"]: preds[it["id"]]["error"] for it in items if preds[it["id"]].get("error")}
    return out


def _rate(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 3) if flags else None


def _rate_by(items: list[dict], key, ok) -> dict:  # noqa: ANN001
    groups: dict[str, list[bool]] = defaultdict(list)
    for it in items:
        groups[str(key(it))].append(bool(ok(it)))
    return {k: {"rate": _rate(v), "n": len(v)} for k, v in sorted(groups.items())}


def _cer_tables(screens: list[dict], cers: dict[str, float]) -> dict:
    cells: dict[str, list[float]] = defaultdict(list)
    styles: dict[str, list[float]] = defaultdict(list)
    captures: dict[str, list[float]] = defaultdict(list)
    langs: dict[str, list[float]] = defaultdict(list)
    for it in screens:
        s = it["screen"]
        c = cers[it["id"]]
        cells[f"{s['language']} x {s['theme']}"].append(c)
        styles[s["style"]].append(c)
        captures[it["capture"]].append(c)
        langs[s["language"]].append(c)
    return {"cer_all": _mean(list(cers.values())),
            "cer_per_language": {k: _mean(v) for k, v in sorted(langs.items())},
            "cer_per_language_theme": {k: {"cer": _mean(v), "n": len(v)} for k, v in sorted(cells.items())},
            "cer_per_style": {k: {"cer": _mean(v), "n": len(v)} for k, v in sorted(styles.items())},
            "cer_per_capture": {k: {"cer": _mean(v), "n": len(v)} for k, v in sorted(captures.items())}}


# ---------------------------------------------------------------- OCR engines alone

def _ocr_engine(name: str):  # noqa: ANN202 - returns a callable PIL.Image -> text
    """'tesseract' (the product's OcrEngine.read_screen), 'rapidocr' (PP-OCR, default settings), 'product'
    (whatever tickets.analysis.ocr.default_engine() is), or 'module:function' taking a PIL image, returning text."""
    if name == "tesseract":
        from tickets.analysis.ocr import OcrEngine

        eng = OcrEngine("tesseract")
        return lambda img: "\n".join(line.text for line in eng.read_screen(img)[0])
    if name == "product":
        from tickets.analysis.ocr import default_engine

        eng = default_engine()
        return lambda img: "\n".join(line.text for line in eng.read_screen(img)[0])
    if name == "rapidocr":
        import numpy as np
        from rapidocr_onnxruntime import RapidOCR

        eng = RapidOCR()

        def run(img):  # noqa: ANN001, ANN202
            result, _ = eng(np.asarray(img.convert("RGB"))[:, :, ::-1])
            return "\n".join(r[1] for r in (result or []))
        return run
    module, _, func = name.partition(":")
    import importlib

    return getattr(importlib.import_module(module), func)


_ENGINES: dict = {}


def ocr_item(args: tuple[dict, str, str]) -> dict:
    from PIL import Image

    item, path, engine = args
    if engine not in _ENGINES:
        _ENGINES[engine] = _ocr_engine(engine)
    img = Image.open(path)
    img.load()
    start = time.perf_counter()
    text = _ENGINES[engine](img)
    return {"id": item["id"], "engine": engine, "seconds": round(time.perf_counter() - start, 3), "ocr_text": text}


def score_ocr(items: list[dict], cache: Path, engines: list[str], workers: int) -> dict:
    screens = [it for it in items if it["kind"] == "screenshot"]
    build.ensure_images(screens, cache, workers)
    out = {}
    for engine in engines:
        jobs = [(it, str(build.image_path(cache, it)), engine) for it in screens]
        results = _map(ocr_item, jobs, workers)
        cers = {r["id"]: cer(next(it for it in screens if it["id"] == r["id"])["screen"]["key_line"], r["ocr_text"])
                for r in results}
        secs = [r["seconds"] for r in results]
        out[engine] = {"n": len(screens), **_cer_tables(screens, cers),
                       "seconds_median": round(statistics.median(secs), 3) if secs else None}
    return out


def _map(fn, jobs: list, workers: int) -> list:  # noqa: ANN001
    """fn over jobs in `workers` processes, in order, with a progress line every 50 images on stderr."""
    start = time.perf_counter()

    def progress(results: list) -> None:
        if len(results) % 50 == 0 or len(results) == len(jobs):
            print(f"  {len(results)}/{len(jobs)} images, {time.perf_counter() - start:.0f} s", file=sys.stderr)

    results: list = []
    if workers <= 1:
        _init_worker()
        for job in jobs:
            results.append(fn(job))
            progress(results)
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        for r in pool.map(fn, jobs, chunksize=2):
            results.append(r)
            progress(results)
    return results


# ---------------------------------------------------------------- report

def _print_report(s: dict, part: str) -> None:
    p = print
    p(f"\n== image analysis on the '{part}' part: {s['n']} images ==")
    p(f"kind accuracy {s['kind_accuracy']}  per kind: " + ", ".join(f"{k} {v}" for k, v in s["kind_accuracy_per_kind"].items()))
    for k, row in s["kind_confusion"].items():
        p(f"  {k:12s} -> " + ", ".join(f"{kk} {vv}" for kk, vv in sorted(row.items())))
    p("document kind accuracy per capture: " + ", ".join(f"{k} {v}" for k, v in s["document_kind_accuracy_per_capture"].items()))
    p(f"\ndefects (documents and selfies), macro-F1 {s['defect_macro_f1']}")
    for d, m in s["defects"].items():
        p(f"  {d:17s} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  (support {m['support']}, fp {m['fp']})")
    for kind in ("id_document", "selfie"):
        c = s[f"clean_{kind}_with_false_defect"]
        p(f"clean {kind} given a false defect: {c['share']} of {c['n']}  {c['false']}")
    p(f"clean documents and selfies given a false defect: {s['clean_with_false_defect']}; "
      f"any document or selfie given a false defect: {s['any_with_false_defect']}")
    for kind in ("screenshot", "other"):
        c = s[f"{kind}_with_any_defect"]
        p(f"{kind} given any defect: {c['share']}  {c['defects']}")
    if s.get("cer_all") is not None:
        p(f"\nkey-line CER all {s['cer_all']}  per language: {s['cer_per_language']}")
        p("  per language x theme: " + ", ".join(f"{k} {v['cer']} ({v['n']})" for k, v in s["cer_per_language_theme"].items()))
        p("  per style: " + ", ".join(f"{k} {v['cer']} ({v['n']})" for k, v in s["cer_per_style"].items()))
        p("  per capture: " + ", ".join(f"{k} {v['cer']} ({v['n']})" for k, v in s["cer_per_capture"].items()))
    m = s["mrz"]
    p(f"\nMRZ read with valid check digits: {m['read_valid_rate']} of {m['n']} (exact {m['read_exact_rate']}, "
      f"clean photos {m['clean_photos_read_valid_rate']})  per format: "
      + ", ".join(f"{k} {v['rate']} ({v['n']})" for k, v in m["per_format"].items()))
    e = s["expiry"]
    p(f"expiry found: {e['found_rate']} of {e['n']} (printed only {e['printed_only_found_rate']}, clean "
      f"{e['clean_found_rate']}); long-term documents given an expiry: {e['long_term_with_expiry']}")
    p("seconds per image: " + ", ".join(f"{k} median {v['median']} p90 {v['p90']}" for k, v in s["seconds"].items()))
    if s["errors"]:
        p(f"analysis errors: {len(s['errors'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", required=True, choices=dataset.PARTS)
    ap.add_argument("--i-am-done", action="store_true", help="required to score the frozen part")
    ap.add_argument("--kind", action="append", choices=KINDS, help="only this kind (repeatable)")
    ap.add_argument("--family", action="append", choices=tuple(f[0] for f in dataset.FAMILIES),
                    help="only this family of items, by id prefix (repeatable): doc, scr, sel, oth, cam, sbg")
    ap.add_argument("--limit", type=int, help="at most N images of each kind")
    ap.add_argument("--json", help="write the summary (and per-image predictions) to this JSON file")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", help="image cache directory (default var/evalsets/images or $KYCTRIAGE_EVALSET_DIR)")
    ap.add_argument("--neutral-names", action="store_true", help="hide the file names (attachment.jpg)")
    ap.add_argument("--ocr-only", action="store_true", help="run only OCR engines on the screenshots")
    ap.add_argument("--engine", action="append", help="with --ocr-only: tesseract, rapidocr, product or module:func")
    args = ap.parse_args(argv)
    if args.part == "frozen":
        if not args.i_am_done:
            ap.error("the frozen part is scored only when the work is done: add --i-am-done")
        print(FROZEN_WARNING, file=sys.stderr)
    cache = build.cache_dir(args.cache)
    items = build.select(args.part, args.limit, args.kind, args.family)
    start = time.perf_counter()
    if args.ocr_only:
        result = {"part": args.part, "ocr_only": score_ocr(items, cache, args.engine or ["tesseract"], args.workers)}
        for engine, s in result["ocr_only"].items():
            print(f"\n== {engine} on {s['n']} screenshots: CER {s['cer_all']}, median {s['seconds_median']} s ==")
            print("  per language x theme: " + ", ".join(f"{k} {v['cer']}" for k, v in s["cer_per_language_theme"].items()))
            print("  per style: " + ", ".join(f"{k} {v['cer']}" for k, v in s["cer_per_style"].items()))
    else:
        build.ensure_images(items, cache, args.workers)
        jobs = [(it, str(build.image_path(cache, it)), args.neutral_names) for it in items]
        preds = {p["id"]: p for p in _map(analyse_item, jobs, args.workers)}
        summary = summarise(items, preds)
        _print_report(summary, args.part)
        result = {"part": args.part, "generator_version": dataset.GENERATOR_VERSION, "summary": summary,
                  "predictions": [preds[it["id"]] for it in items]}
    result["wall_seconds"] = round(time.perf_counter() - start, 1)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
