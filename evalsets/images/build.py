"""Draw the labelled image set into a cache directory (only what is missing), with its labels as JSONL.

    python -m evalsets.images.build [--part tune|test|spent|frozen|all] [--limit N] [--cache DIR] [--workers 2]

The cache defaults to var/evalsets/images/ under the repository (override with KYCTRIAGE_EVALSET_DIR); images
live in a sub-directory named after the generator version, so a changed generator never mixes with old files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import dataset

ROOT = Path(__file__).resolve().parents[2]


def cache_dir(override: str | None = None) -> Path:
    base = Path(override or os.environ.get("KYCTRIAGE_EVALSET_DIR") or ROOT / "var" / "evalsets" / "images")
    return base / f"v{dataset.GENERATOR_VERSION}"


def image_path(cache: Path, item: dict) -> Path:
    return cache / f"{item['id']}.{'png' if item['format'] == 'png' else 'jpg'}"


def _render_one(args: tuple[dict, str]) -> tuple[str, float]:
    item, path = args
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    start = time.perf_counter()
    data = dataset.render(item)
    tmp = Path(path + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return item["id"], time.perf_counter() - start


def select(part: str, limit: int | None = None, kinds: list[str] | None = None,
           families: list[str] | None = None) -> list[dict]:
    """Items of one part ('all' for every part), optionally of some kinds or families (id prefixes),
    the first `limit` of each kind."""
    items = dataset.manifest(None if part == "all" else part)
    if kinds:
        items = [it for it in items if it["kind"] in kinds]
    if families:
        items = [it for it in items if it["id"].split("-")[0] in families]
    if limit:
        per_kind: dict[str, int] = {}
        kept = []
        for it in items:
            if per_kind.get(it["kind"], 0) < limit:
                per_kind[it["kind"]] = per_kind.get(it["kind"], 0) + 1
                kept.append(it)
        items = kept
    return items


def ensure_images(items: list[dict], cache: Path, workers: int = 2, log=print) -> None:  # noqa: ANN001
    """Draw the items whose file is missing, in `workers` processes."""
    cache.mkdir(parents=True, exist_ok=True)
    todo = [(it, str(image_path(cache, it))) for it in items if not image_path(cache, it).exists()]
    if not todo:
        return
    log(f"drawing {len(todo)} images into {cache} with {workers} processes ...")
    start = time.perf_counter()
    if workers <= 1:
        for args in todo:
            _render_one(args)
    else:
        import cv2

        cv2.setNumThreads(1)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for _ in pool.map(_render_one, todo, chunksize=4):
                pass
    log(f"drew {len(todo)} images in {time.perf_counter() - start:.1f} s")


def write_labels(items: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for it in items:
            fh.write(json.dumps(it, ensure_ascii=False, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", default="all", choices=("all", *dataset.PARTS))
    ap.add_argument("--kind", action="append", choices=tuple(dataset.COUNTS), help="only this kind (repeatable)")
    ap.add_argument("--family", action="append", choices=tuple(f[0] for f in dataset.FAMILIES),
                    help="only this family of items, by id prefix (repeatable)")
    ap.add_argument("--limit", type=int, help="at most N items of each kind")
    ap.add_argument("--cache", help="cache directory (default var/evalsets/images or $KYCTRIAGE_EVALSET_DIR)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--labels-only", action="store_true", help="write labels.jsonl without drawing")
    args = ap.parse_args(argv)
    cache = cache_dir(args.cache)
    items = select(args.part, args.limit, args.kind, args.family)
    cache.mkdir(parents=True, exist_ok=True)
    labels = cache / f"labels-{args.part}.jsonl"
    write_labels(items, labels)
    print(f"{len(items)} items, labels in {labels}")
    if not args.labels_only:
        ensure_images(items, cache, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
