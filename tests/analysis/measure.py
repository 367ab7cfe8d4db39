"""Build a labelled synthetic image set and print per-defect precision/recall, kind accuracy and OCR CER.

Run: python tests/analysis/measure.py  (about a minute on 2 cores; no Django, no database)
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

REFERENCE = date(2026, 11, 27)
DEFECTS = ["blurry", "glare", "too_dark", "low_resolution", "cropped", "no_face", "multiple_faces",
           "expired_document"]
SCREEN_LINES = {
    "zh": [["上传失败，网络连接超时，请稍后重试"], ["错误代码：E1023 证件照片不清晰", "请在光线充足的地方重新拍摄"],
           ["人脸识别失败，请确保面部无遮挡"], ["您的账户存在安全风险，认证已暂停"]],
    "en": [["Upload failed: network timeout, please try again later"],
           ["Error code E1023: document photo is blurry", "Retake the photo in good light"],
           ["Face verification failed. Remove glasses or hat"], ["Your verification is under review"]],
    # Traditional Chinese error lines (Hong Kong / Taiwan customers) in the simplified app chrome (lang "zh").
    "zh-Hant": [["網路連線逾時，請重試", "身分驗證失敗，請重新上傳證件"], ["上傳失敗，網路連線逾時，請稍後重試"],
                ["人臉辨識失敗，請確保臉部無遮擋"], ["您的帳戶存在安全風險，驗證已暫停"]],
}
GENERATOR_LANG = {"zh-Hant": "zh"}  # make_screenshot's chrome language for a label
PEOPLE = [("ZHANG", "WEI", "E12345678"), ("LI", "NA", "G87654321"), ("WANG", "FANG", "EA1029384"),
          ("CHEN", "JIE", "E55501234")]


def labelled_set() -> list[tuple[dict, str, set[str]]]:
    """(spec for make_attachment, expected kind, expected defects) for documents, selfies and screens."""
    items: list[tuple[dict, str, set[str]]] = []
    doc_defects: list[tuple[str, ...]] = [(), ("blurry",), ("glare",), ("too_dark",), ("low_resolution",),
                                          ("cropped",), ("expired_document",), ("glare", "expired_document"),
                                          ("blurry", "low_resolution")]
    for i, (surname, given, number) in enumerate(PEOPLE):
        for doc in ("passport", "id_card"):
            for defects in doc_defects:
                if doc == "id_card" and "cropped" in defects:
                    continue  # the TD1 zone sits at the edge that is cut off: not a fair kind test
                items.append(({"type": "id_document", "doc": doc, "defects": list(defects), "surname": surname,
                               "given": given, "number": number}, "id_document", set(defects)))
        items.append(({"type": "id_document", "doc": "id_card", "with_mrz": False, "surname": surname,
                       "given": given, "number": number, "defects": ["expired_document"] if i % 2 else []},
                      "id_document", {"expired_document"} if i % 2 else set()))
    for defects in [(), ("too_dark",), ("blurry",), ("glare",), ("low_resolution",), ("multiple_faces",),
                    ("no_face",), ("too_dark", "blurry")]:
        items.append(({"type": "selfie", "defects": list(defects), "filename": "selfie.jpg"}, "selfie", set(defects)))
    items.append(({"type": "selfie", "faces": 3, "filename": "me.jpg"}, "selfie", {"multiple_faces"}))
    for theme in ("light", "dark"):
        for label in ("zh", "en", "zh-Hant"):
            for size in ((1080, 2340), (720, 1560)):
                for lines in SCREEN_LINES[label]:
                    items.append(({"type": "screenshot", "theme": theme, "lang": GENERATOR_LANG.get(label, label),
                                   "size": size, "lines": lines, "label": label}, "screenshot", set()))
    return items


def main() -> None:
    """Analyse the set, then print the tables the lead records."""
    from tickets.analysis import analyse
    from tickets.analysis.ocr import OcrEngine, character_error_rate
    from demo.images import SCREEN_TEXT, make_attachment

    engine = OcrEngine()
    items = labelled_set()
    counts = {d: [0, 0, 0] for d in DEFECTS}  # tp, fp, fn
    kind_ok = 0
    confusion: dict[tuple[str, str], int] = defaultdict(int)
    cer: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    misses: list[str] = []
    t0 = time.perf_counter()
    second: dict[str, list[int]] = defaultdict(list)
    for spec, kind, expected in items:
        spec = dict(spec)
        label = spec.pop("label", None)
        name, data, _ = make_attachment(spec)
        r = analyse(data, filename=name, reference_date=REFERENCE, ocr=engine, preview=False)
        confusion[(kind, r.kind)] += 1
        kind_ok += r.kind == kind
        got = set(r.defects)
        for d in DEFECTS:
            counts[d][0] += d in got and d in expected
            counts[d][1] += d in got and d not in expected
            counts[d][2] += d not in got and d in expected
        if got != expected or r.kind != kind:
            misses.append("%s %s -> kind=%s defects=%s" % (spec.get("type"), {k: v for k, v in spec.items()
                          if k not in ("type",)}, r.kind, sorted(got)))
        if spec["type"] == "screenshot":
            t = SCREEN_TEXT[spec["lang"]]
            key = (spec["theme"], label, "%dx%d" % spec["size"])
            second[label].append(r.metrics.get("ocr_second_pass", 0))
            cer[key + ("error",)].append(character_error_rate(spec["lines"], r.ocr_text))
            everything = spec["lines"] + [t["title"], t["heading"], t["hint"], t["primary"], t["secondary"]]
            cer[key + ("all",)].append(character_error_rate(everything, r.ocr_text))
    elapsed = time.perf_counter() - t0

    print("images: %d  (%.1f s, %.2f s/image)" % (len(items), elapsed, elapsed / len(items)))
    print("kind accuracy: %.3f" % (kind_ok / len(items)))
    for (want, got), n in sorted(confusion.items()):
        if want != got:
            print("  kind %s read as %s: %d" % (want, got, n))
    print("\n%-18s %5s %5s %5s %9s %7s" % ("defect", "tp", "fp", "fn", "precision", "recall"))
    for d, (tp, fp, fn) in counts.items():
        p = tp / (tp + fp) if tp + fp else float("nan")
        rc = tp / (tp + fn) if tp + fn else float("nan")
        print("%-18s %5d %5d %5d %9.3f %7.3f" % (d, tp, fp, fn, p, rc))
    print("\n%-6s %-8s %-10s %10s %10s %10s" % ("theme", "lang", "size", "CER error", "max error", "CER all"))
    for key in sorted({k[:3] for k in cer}):
        e, a = cer[key + ("error",)], cer[key + ("all",)]
        print("%-6s %-8s %-10s %10.3f %10.3f %10.3f" % (key[0], key[1], key[2], sum(e) / len(e), max(e),
                                                      sum(a) / len(a)))
    print("\nscreens with the Traditional second pass: " + ", ".join(
        "%s %d/%d" % (lang, sum(1 for n in v if n), len(v)) for lang, v in sorted(second.items())))
    if misses:
        print("\nmismatches:")
        for m in misses:
            print("  " + m)


if __name__ == "__main__":
    main()
