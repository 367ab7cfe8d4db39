"""The preview is a small annotated PNG; the package imports without heavy libraries."""

from __future__ import annotations

import io
import subprocess
import sys


def test_preview_is_small_png_with_annotations(analysed):
    from PIL import Image

    r = analysed(type="id_document", defects=["glare"])
    im = Image.open(io.BytesIO(r.preview_png))
    assert im.format == "PNG" and max(im.size) <= 1024
    assert set(r.timings) >= {"decode", "checks", "faces", "mrz", "ocr", "preview", "total"}


def test_import_is_light():
    code = ("import sys, tickets.analysis; "
            "print(any(m in sys.modules for m in ('cv2', 'numpy', 'tesserocr', 'pypdfium2')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_result_is_json_serialisable(analysed):
    import json

    json.dumps(analysed(type="selfie").to_dict())
