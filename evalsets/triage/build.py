"""Turn the hand-written ticket sources (src/<part>_*.txt) into <part>.jsonl.

Source format, one ticket per block:
    == primary[; secondary ...] @voice
    @ filename|kind|defect,defect|OCR'd error line     (zero or more attachment lines)
    Subject: ...
    body lines until the next "=="
The first category is the primary one; the set is every category named.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def parse(path):
    tickets, block = [], None
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("== "):
            if block:
                tickets.append(block)
            head, _, voice = raw[3:].partition("@")
            cats = [c.strip() for c in head.split(";") if c.strip()]
            block = {"categories": cats, "voice": voice.strip(), "attachments": [],
                     "subject": "", "body": [], "in_body": False}
        elif block is None:
            continue
        elif raw.startswith("@ ") and not block["in_body"]:
            filename, kind, defects, ocr = (raw[2:].split("|") + ["", "", ""])[:4]
            block["attachments"].append({
                "filename": filename.strip(), "kind": kind.strip(),
                "defects": [d for d in defects.split(",") if d.strip()],
                "ocr_line": ocr.strip()})
        elif raw.startswith("Subject:") and not block["in_body"]:
            block["subject"] = raw[len("Subject:"):].strip()
            block["in_body"] = True
        else:
            block["body"].append(raw)
    if block:
        tickets.append(block)
    return tickets


def build(part):
    out = []
    for src in sorted(HERE.glob("src/%s_*.txt" % part)):
        for ticket in parse(src):
            out.append({
                "id": "%s-%03d" % (part, len(out) + 1),
                "voice": ticket["voice"],
                "subject": ticket["subject"],
                "body": "\n".join(ticket["body"]).strip(),
                "attachments": ticket["attachments"],
                "primary": ticket["categories"][0],
                "categories": sorted(set(ticket["categories"])),
            })
    target = HERE / ("%s.jsonl" % part)
    with target.open("w", encoding="utf-8") as fh:
        for row in out:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(out)


if __name__ == "__main__":
    for part in sys.argv[1:] or ["frozen", "seen", "tune", "test"]:
        if list(HERE.glob("src/%s_*.txt" % part)):
            print(part, build(part))
