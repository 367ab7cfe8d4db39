"""Attachment-analysis benchmark: full analysis vs plain tesseract, 2-process throughput, 50-MP peak memory.

Run: python bench/analysis_bench.py   (no Django needed; about two minutes on 2 cores)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Both sides get the setting production uses: with OpenMP, two concurrent OCR jobs run ~2x slower per core.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

RATIO_TARGET = 1.15
MEMORY_TARGET_MB = 1024
SCREEN_LINES = {"zh": ["上传失败，网络连接超时，请稍后重试", "错误代码：E1023 证件照片不清晰"],
                "en": ["Upload failed: network timeout, please try again later", "Error code E1023: photo is blurry"]}


def build_set(tmp: Path) -> tuple[list[Path], list[Path]]:
    """Fixed generated set: 8 phone screenshots (themes x languages x 2 sizes) and 6 photos."""
    from demo.images import make_id_document, make_screenshot, make_selfie

    screens, photos = [], []
    for theme in ("light", "dark"):
        for lang in ("zh", "en"):
            for size in ((1080, 2340), (720, 1560)):
                p = tmp / ("screen_%s_%s_%d.png" % (theme, lang, size[0]))
                p.write_bytes(make_screenshot(SCREEN_LINES[lang], theme=theme, lang=lang, size=size))
                screens.append(p)
    for name, data in [("passport.jpg", make_id_document()), ("id_card.jpg", make_id_document(doc="id_card")),
                       ("passport_glare.jpg", make_id_document(defects=("glare",))),
                       ("id_card_printed.jpg", make_id_document(doc="id_card", with_mrz=False)),
                       ("selfie.jpg", make_selfie()), ("selfie_two.jpg", make_selfie(faces=2))]:
        p = tmp / name
        p.write_bytes(data)
        photos.append(p)
    return screens, photos


def time_sequential(paths: list[Path], rounds: int = 2) -> tuple[list[float], list[float]]:
    """Median seconds per image of analyse() (warm engine) and of plain tesseract on the same files."""
    from tickets.analysis import analyse
    from tickets.analysis.ocr import OcrEngine, plain_tesseract

    engine = OcrEngine()
    analyse(paths[0].read_bytes(), filename=paths[0].name, ocr=engine)  # warm-up: model load is per process
    ours, plain = [], []
    for p in paths:
        data = p.read_bytes()
        a, b = [], []
        for _ in range(rounds):
            t = time.perf_counter()
            analyse(data, filename=p.name, ocr=engine)
            a.append(time.perf_counter() - t)
            t = time.perf_counter()
            plain_tesseract(str(p))
            b.append(time.perf_counter() - t)
        ours.append(statistics.median(a))
        plain.append(statistics.median(b))
    return ours, plain


_worker_engine = None


def _init_worker() -> None:
    """One OcrEngine per worker process, created once."""
    global _worker_engine
    from tickets.analysis.ocr import OcrEngine

    _worker_engine = OcrEngine()
    _worker_engine._get_api()  # load the model before the clock starts


def _work(path: str) -> float:
    """Analyse one file in a worker; returns its seconds."""
    from tickets.analysis import analyse

    t = time.perf_counter()
    analyse(Path(path).read_bytes(), filename=Path(path).name, ocr=_worker_engine)
    return time.perf_counter() - t


def throughput(paths: list[Path], processes: int = 2, repeat: int = 3) -> float:
    """Images per second with a pool of worker processes (spawned, so nothing is inherited)."""
    jobs = [str(p) for p in paths] * repeat
    with get_context("spawn").Pool(processes, initializer=_init_worker) as pool:
        pool.map(_work, [str(paths[0])] * processes)  # warm every worker
        t = time.perf_counter()
        pool.map(_work, jobs, chunksize=1)
        return len(jobs) / (time.perf_counter() - t)


_CHILD = r"""
import resource, sys, time
sys.path.insert(0, %(root)r)
from tickets.analysis import analyse
data = open(%(path)r, "rb").read()
t = time.perf_counter()
r = analyse(data, filename="big.jpg")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.perf_counter() - t, r.kind, r.metrics.get("width"),
      r.metrics.get("height"), ",".join(r.defects) or "-")
"""


_MAKE_BIG = r"""
import io, sys
sys.path.insert(0, %(root)r)
from PIL import Image
from demo.images import make_id_document
im = Image.open(io.BytesIO(make_id_document())).resize((8165, 6124), Image.BILINEAR)  # 50.0 MP, 4:3 like the source
im.save(%(path)r, "JPEG", quality=88)
"""


def peak_memory(tmp: Path) -> tuple[float, float, str]:
    """ru_maxrss (MB) of a fresh child process analysing a 50-megapixel JPEG photo.

    The photo is made in another child and this runs before the parent grows: Linux carries the parent's
    high-water RSS into a forked child's ru_maxrss, which would inflate the number.
    """
    big = tmp / "big.jpg"
    subprocess.run([sys.executable, "-c", _MAKE_BIG % {"root": str(ROOT), "path": str(big)}], check=True)
    out = subprocess.run([sys.executable, "-c", _CHILD % {"root": str(ROOT), "path": str(big)}],
                         capture_output=True, text=True, check=True)
    rss_kb, secs, kind, w, h, defects = out.stdout.split()
    return int(rss_kb) / 1024.0, float(secs), "%s %sx%s (%.1f MB file) defects=%s" % (
        kind, w, h, big.stat().st_size / 1e6, defects)


def main() -> None:
    """Print the table."""
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        rss_mb, big_secs, big_desc = peak_memory(tmp)  # first, while this process is still small
        screens, photos = build_set(tmp)
        ours, plain = time_sequential(screens)
        ours_p, plain_p = time_sequential(photos, rounds=1)
        ratio = sum(ours) / sum(plain)
        ips = throughput(screens + photos)

    print("Attachment analysis benchmark (OMP_THREAD_LIMIT=%s, %d CPUs)" % (os.environ["OMP_THREAD_LIMIT"],
                                                                          os.cpu_count() or 0))
    print("%-44s %10s %10s %8s" % ("image", "analyse s", "plain s", "ratio"))
    for p, a, b in zip(screens + photos, ours + ours_p, plain + plain_p):
        print("%-44s %10.3f %10.3f %8.2f" % (p.name, a, b, a / b))
    print("-" * 75)
    print("%-44s %10.3f %10.3f %8.2f  (target < %.2f: %s)" % (
        "screenshots, mean", statistics.mean(ours), statistics.mean(plain), ratio, RATIO_TARGET,
        "OK" if ratio < RATIO_TARGET else "MISSED"))
    print("%-44s %10.3f %10.3f %8.2f" % ("photos, mean", statistics.mean(ours_p), statistics.mean(plain_p),
                                         sum(ours_p) / sum(plain_p)))
    print("%-44s %10.2f images/s (mixed set, 2 processes, 1 OcrEngine each)" % ("throughput", ips))
    print("%-44s %10.0f MB peak RSS, %.2f s  (target < %d MB: %s)" % (
        "50-megapixel photo", rss_mb, big_secs, MEMORY_TARGET_MB, "OK" if rss_mb < MEMORY_TARGET_MB else "MISSED"))
    print("%-44s %s" % ("", big_desc))


if __name__ == "__main__":
    main()
