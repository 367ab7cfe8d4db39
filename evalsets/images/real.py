"""Score the product on the real specimen documents in ../shared/corpus/real-documents (never copied here).

    python -m evalsets.images.real [--dir DIR] [--reference-date 2026-12-01] [--json OUT]

Every file is an id_document; a legible MRZ (INDEX.tsv) must be read with valid check digits; glare, cropped
and no_face are listed for a person to check against the picture (these are clean scans and photos).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUSPECT = ("glare", "cropped", "no_face")


def corpus_dir(override: str | None = None) -> Path:
    """The folder beside the checkout (../shared/corpus/real-documents), or KYCTRIAGE_REAL_DOCUMENTS_DIR."""
    return Path(override or os.environ.get("KYCTRIAGE_REAL_DOCUMENTS_DIR")
                or ROOT.parent / "shared" / "corpus" / "real-documents")


def load_index(folder: Path) -> list[dict]:
    with (folder / "INDEX.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def score(folder: Path, reference: date) -> dict:
    from tickets.analysis.pipeline import analyse

    rows = []
    for entry in load_index(folder):
        data = (folder / entry["file"]).read_bytes()
        start = time.perf_counter()
        res = analyse(data, filename=entry["file"], reference_date=reference, preview=False)
        mrz = res.mrz or {}
        rows.append({"file": entry["file"], "document": entry["document"], "mrz_format": entry["mrz_format"],
                     "mrz_legible": entry["mrz_legible"] == "yes", "kind": res.kind, "defects": sorted(res.defects),
                     "mrz_read": mrz.get("format"), "mrz_checks_ok": bool(mrz.get("checks_ok")),
                     "seconds": round(time.perf_counter() - start, 3)})
    legible = [r for r in rows if r["mrz_legible"]]
    return {
        "n": len(rows),
        "id_document": sum(r["kind"] == "id_document" for r in rows),
        "legible_mrz": len(legible),
        "legible_mrz_read_valid": sum(r["mrz_checks_ok"] for r in legible),
        "any_mrz_read_valid": sum(r["mrz_checks_ok"] for r in rows),
        "with_suspect_defect": {d: [r["file"] for r in rows if d in r["defects"]] for d in SUSPECT},
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", help="the real-documents folder (default ../shared/corpus/real-documents)")
    ap.add_argument("--reference-date", default="2026-12-01", help="the date the mail reached us (YYYY-MM-DD)")
    ap.add_argument("--json", help="write the result to this JSON file")
    args = ap.parse_args(argv)
    folder = corpus_dir(args.dir)
    if not (folder / "INDEX.tsv").exists():
        print(f"no real documents at {folder} (set --dir or KYCTRIAGE_REAL_DOCUMENTS_DIR)", file=sys.stderr)
        return 2
    s = score(folder, date.fromisoformat(args.reference_date))
    for r in s["rows"]:
        print(f"{r['file']:12s} {r['document']:14s} {r['mrz_format']:5s} legible={'yes' if r['mrz_legible'] else 'no ':3s} "
              f"-> {r['kind']:12s} mrz={r['mrz_read'] or '-':5s} ok={r['mrz_checks_ok']!s:5s} {','.join(r['defects'])}")
    print(f"\nid_document {s['id_document']}/{s['n']}; legible MRZ read with valid check digits "
          f"{s['legible_mrz_read_valid']}/{s['legible_mrz']} (any MRZ valid: {s['any_mrz_read_valid']}); "
          + "; ".join(f"{d}: {len(v)}" for d, v in s["with_suspect_defect"].items()))
    if args.json:
        Path(args.json).write_text(json.dumps(s, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
