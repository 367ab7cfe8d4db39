"""Previews an agent can read, on the independent image set: size, error line highlighted, defects named, cost.

    python bench/preview_bench.py --part tune [--screenshots 30 --documents 10 --selfies 10 --others 4] [--json]

Takes the first items of each kind of one part of `evalsets/images` (drawn under KYCTRIAGE_EVALSET_DIR), runs the
analysis with previews, and reports: how wide a screenshot's preview is and how tall its key error line is in
it, how often that line (when it was read) is highlighted, how many defects got their chip, the analysis'
preview stage, and the time to label and serve a preview in English and in Chinese. The frozen part is refused.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["tune", "test"], default="tune")
    parser.add_argument("--screenshots", type=int, default=30)
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--selfies", type=int, default=10)
    parser.add_argument("--others", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyctriage.settings")
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    import django

    django.setup()
    from django.utils import translation
    from PIL import Image

    from evalsets.images import dataset
    from tickets.analysis import analyse
    from tickets.analysis.preview import marks_of
    from tickets.services.previews import preview_for_viewer

    folder = Path(os.environ.get("KYCTRIAGE_EVALSET_DIR", ROOT / "var" / "evalsets" / "images")) / \
        ("v%s" % dataset.GENERATOR_VERSION)
    items = [json.loads(line) for line in (folder / "labels-all.jsonl").open(encoding="utf-8")]
    items = [it for it in items if it["part"] == args.part]
    wanted = {"screenshot": args.screenshots, "id_document": args.documents, "selfie": args.selfies,
              "other": args.others}
    picked = [it for kind, n in wanted.items() for it in [i for i in items if i["kind"] == kind][:n]]

    rows = []
    for item in picked:
        data = next(folder.glob(item["id"] + ".*")).read_bytes()
        res = analyse(data, filename=item["filename"], reference_date=date.fromisoformat(item["reference_date"]))
        if not res.preview_redacted_png:
            continue
        marks = marks_of(res.preview_redacted_png)
        stored = Image.open(io.BytesIO(res.preview_redacted_png))
        row = {"id": item["id"], "kind": item["kind"], "width": stored.width, "height": stored.height,
               "preview_s": res.timings.get("preview", 0.0), "defects": res.defects, "chips": marks["defects"],
               "stored_kb": (len(res.preview_png) + len(res.preview_redacted_png)) // 1024}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                start = time.perf_counter()
                preview_for_viewer(res.preview_redacted_png)
                row["serve_ms_" + language] = 1000 * (time.perf_counter() - start)
        if item["kind"] == "screenshot" and res.ocr_lines:
            key = item["screen"]["key_line"]
            best = max(res.ocr_lines, key=lambda ln: SequenceMatcher(None, ln.text, key).ratio())
            f = stored.width / res.metrics["analysis_width"]
            x, y, w, h = (v * f for v in best.bbox)
            row["key_read"] = SequenceMatcher(None, best.text, key).ratio() >= 0.6
            row["key_px"] = round(h, 1)
            row["key_highlighted"] = row["key_read"] and any(
                max(0, min(x + w, b[0] + b[2]) - max(x, b[0])) * max(0, min(y + h, b[1] + b[3]) - max(y, b[1]))
                > 0.5 * w * h for b in (m["box"] for m in marks["marks"] if m["kind"] in ("error", "expiry")))
        rows.append(row)

    shots = [r for r in rows if r["kind"] == "screenshot" and "key_read" in r]
    read = [r for r in shots if r["key_read"]]
    summary = {
        "part": args.part, "images": len(rows), "screenshots": len(shots),
        "screenshot_width_min": min((r["width"] for r in shots), default=0),
        "screenshot_width_median": statistics.median([r["width"] for r in shots]) if shots else 0,
        "key_line_px_min": min((r["key_px"] for r in read), default=0),
        "key_line_px_median": statistics.median([r["key_px"] for r in read]) if read else 0,
        "key_line_read": len(read), "key_line_highlighted": sum(r["key_highlighted"] for r in read),
        "defects": sum(len(r["defects"]) for r in rows),
        "defects_with_a_chip": sum(len(set(r["defects"]) & set(r["chips"])) for r in rows),
        "preview_stage_s_median": statistics.median([r["preview_s"] for r in rows]),
        "preview_stage_s_max": max(r["preview_s"] for r in rows),
        "serve_ms_median_en": statistics.median([r["serve_ms_en"] for r in rows]),
        "serve_ms_median_zh": statistics.median([r["serve_ms_zh-hans"] for r in rows]),
        "serve_ms_max": max(max(r["serve_ms_en"], r["serve_ms_zh-hans"]) for r in rows),
        "stored_kb_median": statistics.median([r["stored_kb"] for r in rows]),
    }
    if args.json:
        print(json.dumps({"summary": summary, "rows": rows}, indent=1, default=str))
    else:
        for key, value in summary.items():
            print("%-26s %s" % (key, round(value, 3) if isinstance(value, float) else value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
