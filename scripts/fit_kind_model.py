"""Fit the attachment-kind classifier (tickets/analysis/kind_model.json) on tune images only.

    python scripts/fit_kind_model.py [--imgset [--imgset-limit N]] [--cache var/kind-features.json] [--workers 2]

Training images:
  1. this script's own synthetic variants, drawn with demo.images and changed here: documents rotated
     up to 30 degrees on a table, scanned flat edge to edge or on white, small; selfies with one, two or no
     face, dim; screens in both themes and languages as PNG and JPEG; "other" photos (scikit-image's sample
     pictures, an empty table, a wall, a printed letter without document words);
  2. with --imgset, the `tune` part of the independent image set evalsets/images (never `test` or `frozen`),
     at most N images of each family with --imgset-limit N.
The real specimen documents in ../shared/corpus/real-documents are a test and are never read here.

Each image goes through tickets.analysis.analyse(); the features the pipeline measured
(metrics["kind_features"]) are the classifier's input, so training and production see the same numbers.
A multinomial logistic regression (scikit-learn, L2, class-balanced) is fitted and its weights written as JSON;
the product evaluates it with plain Python (kind.classify), without scikit-learn.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pickle
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

REFERENCE = date(2026, 11, 27)
NAMES = ["IMG_%04d.jpg", "photo_%d.jpg", "upload%d.jpg", "%d.jpg", "image%d.png"]


def _jpeg(img, quality: int = 88) -> bytes:  # noqa: ANN001 - PIL image
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def _png(img) -> bytes:  # noqa: ANN001
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _rotate_on_table(data: bytes, angle: float, rng) -> bytes:  # noqa: ANN001
    """A document photo turned by `angle` degrees, the uncovered corners filled with more table."""
    import cv2
    import numpy as np
    from PIL import Image

    img = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 0.8)
    out = cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REFLECT)
    return _jpeg(Image.fromarray(out), int(rng.integers(60, 95)))


def _card_back(k: int, surname: str, given: str, number: str, rng) -> bytes:  # noqa: ANN001
    """The back of an ID card: TD1 or TD2 zone, a barcode, two lines of small print; flat or on a table."""
    import numpy as np
    from PIL import Image, ImageDraw

    from tickets.analysis.mrz import build_td1, build_td2
    from demo import images as gen

    W, H = 1280, 808
    bg = [(236, 238, 240), (226, 236, 246), (245, 240, 228), (250, 250, 250)][k % 4]
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    for j in range(0, H, 7):  # guilloche: fine wavy security lines over the whole card
        pts = [(x, j + 6 * np.sin(x / (25.0 + k) + j / 40.0)) for x in range(0, W, 8)]
        d.line(pts, fill=tuple(int(c * 0.9) for c in bg), width=1)
    for j in range(6):  # small print
        d.text((60 + 20 * (j % 2), 330 + j * 34), "SPECIMEN " * 6, font=gen.font(20), fill=(90, 96, 110))
    for x in range(60, 700, 9):  # barcode
        if rng.random() < 0.6:
            d.rectangle((x, 50, x + int(rng.integers(2, 6)), 230), fill=(20, 20, 20))
    d.text((60, 270), ["This card remains the property of the issuing state.", "Si vous trouvez cette carte",
                       "本证件仅限持证人本人使用", "Im Fundfall bitte zurückgeben"][k % 4], font=gen.font(30),
           fill=(60, 60, 70))
    args = dict(surname=surname, given=given, number=number, nationality="UTO", birth=date(1985, 3, 4),
                expiry=date(2024 + k, 6, 1))
    lines = build_td1(**args) if k % 2 == 0 else build_td2(**args)
    size = 40 if k % 2 == 0 else 34
    for i, line in enumerate(lines):
        d.text((50, H - 60 - (len(lines) - i) * int(size * 1.3)), line, font=gen.font(size, mono=True),
               fill=(15, 15, 18))
    if k % 3 == 2:
        table = gen._table((1800, 1300), rng)
        photo = Image.fromarray(np.clip(table, 0, 255).astype("uint8"))
        photo.paste(img, (260, 240))
        return _rotate_on_table(_jpeg(photo), float(rng.uniform(-20, 20)), rng)
    side = int(rng.integers(280, 1000))
    return _jpeg(img.resize((side, int(side * H / W))), int(rng.integers(50, 95)))


def synthetic_specs(limit: int | None = None) -> list[tuple[str, str, bytes, str | None]]:
    """(label, filename, bytes, message hint) for this script's own synthetic images."""
    import numpy as np
    from PIL import Image, ImageDraw

    from tickets.analysis.kind import ID_DOCUMENT, OTHER, SCREENSHOT, SELFIE
    from demo import images as gen

    rng = np.random.default_rng(10)
    out: list[tuple[str, str, bytes, str | None]] = []
    people = [("ZHANG", "WEI", "E12345678"), ("LI", "NA", "G87654321"), ("WANG", "FANG", "EA1029384"),
              ("MUELLER", "ANNA", "C01X00T47"), ("GARCIA", "LUIS", "PAB123456")]

    def name(label: str, i: int) -> str:
        r = rng.random()
        if r < 0.25:
            return {ID_DOCUMENT: "passport_%d.jpg", SELFIE: "selfie_%d.jpg", SCREENSHOT: "Screenshot_%d.png",
                    OTHER: "photo_%d.jpg"}[label] % i
        if r < 0.30:  # a misleading name now and then
            return ["selfie_%d.jpg", "passport_%d.jpg", "Screenshot_%d.png"][int(rng.integers(0, 3))] % i
        return NAMES[int(rng.integers(0, len(NAMES)))] % i

    # documents
    doc_defects = [(), (), (), ("blurry",), ("glare",), ("too_dark",), ("low_resolution",), ("cropped",),
                   ("expired_document",)]
    i = 0
    for doc in ("passport", "id_card"):
        for with_mrz in (True, False):
            for k, defects in enumerate(doc_defects):
                s, g, n = people[(i + k) % len(people)]
                data = gen.make_id_document(defects=defects, doc=doc, with_mrz=with_mrz, surname=s, given=g,
                                            number=n)
                out.append((ID_DOCUMENT, name(ID_DOCUMENT, i), data, None))
                if k % 3 == 0:
                    angle = float(rng.uniform(-30, 30))
                    out.append((ID_DOCUMENT, name(ID_DOCUMENT, i + 1000), _rotate_on_table(data, angle, rng), None))
                i += 1
            # flat scans: edge to edge, on a white scanner bed, small
            face = gen._document_face(doc, expiry=date(2031, 5, 1), with_mrz=with_mrz, surname="CHEN", given="JIE",
                                      number="E55501234")
            out.append((ID_DOCUMENT, name(ID_DOCUMENT, i), _jpeg(face), None))
            bed = Image.new("RGB", (face.width + 240, face.height + 300), (250, 250, 250))
            bed.paste(face, (60, 80))
            out.append((ID_DOCUMENT, name(ID_DOCUMENT, i + 1), _png(bed), None))
            out.append((ID_DOCUMENT, name(ID_DOCUMENT, i + 2), _jpeg(face.resize((face.width // 3, face.height // 3))),
                        None))
            i += 3
    # scans cut out edge to edge (a little border kept or lost), at several sizes and JPEG qualities
    for k, (doc, with_mrz) in enumerate([(d, m) for d in ("passport", "id_card") for m in (True, False)] * 3):
        s, g, n = people[k % len(people)]
        face = gen._document_face(doc, expiry=date(2030 + k % 5, 1 + k % 12, 10), with_mrz=with_mrz, surname=s,
                                  given=g, number=n)
        m = int(rng.integers(-25, 25))
        box = (max(0, m), max(0, m), face.width - max(0, m), face.height - max(0, m)) if m > 0 else None
        scan = face.crop(box) if box else face
        side = int(rng.integers(300, 1400))
        scan = scan.resize((side, int(side * scan.height / scan.width)))
        out.append((ID_DOCUMENT, name(ID_DOCUMENT, 800 + k), _jpeg(scan, int(rng.integers(45, 95))), None))
    # backs of cards: an MRZ, a barcode and small print, no portrait
    for k in range(16):
        s, g, n = people[k % len(people)]
        out.append((ID_DOCUMENT, name(ID_DOCUMENT, 900 + k), _card_back(k, s, g, n, rng), None))
    # selfies
    for k, (defects, faces) in enumerate([((), 1), ((), 1), (("too_dark",), 1), (("blurry",), 1), (("glare",), 1),
                                          (("low_resolution",), 1), ((), 2), (("multiple_faces",), 2), ((), 3)]):
        data = gen.make_selfie(defects=defects, faces=faces)
        out.append((SELFIE, name(SELFIE, 100 + k), data, None))
        if k < 3:
            out.append((SELFIE, name(SELFIE, 200 + k), _rotate_on_table(data, float(rng.uniform(-12, 12)), rng),
                        None))
    for k, defects in enumerate([("no_face",), ("no_face", "too_dark"), ("no_face", "blurry")]):
        data = gen.make_selfie(defects=defects)
        out.append((SELFIE, "IMG_%d.jpg" % (300 + k), data, SELFIE))  # sent as "my selfie"
        out.append((SELFIE, "selfie_%d.jpg" % (310 + k), data, None))
    # screenshots
    lines = {"zh": ["上传失败，网络连接超时，请稍后重试", "人脸识别失败，请确保面部无遮挡", "证件照片不清晰"],
             "en": ["Upload failed: network timeout", "Face verification failed", "Document photo is blurry"]}
    for lang in ("zh", "en"):
        for theme in ("light", "dark"):
            for k, size in enumerate([(1080, 2340), (720, 1280), (1170, 2532), (1920, 1080)]):
                img = gen.make_screenshot([lines[lang][k % 3]], theme=theme, lang=lang, size=size)
                fname = name(SCREENSHOT, 400 + k)
                if k % 2:
                    img = _jpeg(Image.open(io.BytesIO(img)), int(rng.integers(70, 92)))
                out.append((SCREENSHOT, fname, img, None))
    # other
    try:
        from skimage import data as skdata

        pictures = [skdata.coffee(), skdata.chelsea(), skdata.rocket(), skdata.hubble_deep_field(),
                    skdata.immunohistochemistry(), skdata.page(), skdata.text(), skdata.coins(), skdata.moon(),
                    skdata.horse().astype("uint8") * 255, skdata.camera(), skdata.brick(), skdata.grass(),
                    skdata.gravel(), skdata.colorwheel()]
    except Exception:  # noqa: BLE001 - scikit-image is optional for this script
        pictures = []
    for k, arr in enumerate(pictures):
        img = Image.fromarray(arr).convert("RGB")
        out.append((OTHER, name(OTHER, 500 + k), _jpeg(img), None))
    for k in range(4):
        table = gen._table((1600, 1200), rng)
        out.append((OTHER, name(OTHER, 600 + k), _jpeg(Image.fromarray(np.clip(table, 0, 255).astype("uint8"))),
                    None))
    for k, text in enumerate([
        ["Invoice 2041", "Total due: 128.00", "Thank you for your order", "Bank transfer within 14 days"],
        ["收据", "金额：128.00 元", "谢谢惠顾", "地址：上海市浦东新区"],
        ["Meeting notes", "1. budget", "2. schedule", "3. hiring plan for Q3"],
        ["Dear customer,", "your parcel has been shipped.", "Tracking number 8812 4410", "Kind regards"],
    ]):
        paper = Image.new("RGB", (1240, 1754), (252, 252, 248))
        d = ImageDraw.Draw(paper)
        for j, line in enumerate(text * 3):
            d.text((120, 160 + j * 90), line, font=gen.font(44), fill=(30, 30, 30))
        photo = gen._table((1800, 2200), rng)
        photo = Image.fromarray(np.clip(photo, 0, 255).astype("uint8"))
        photo.paste(paper.resize((1100, 1556)), (350, 320))
        out.append((OTHER, name(OTHER, 700 + k), _jpeg(paper if k % 2 else photo), None))
    return out[:limit] if limit else out


def imgset_tune(limit: int | None) -> list[tuple[str, str, bytes, str | None]]:
    """The `tune` part of the independent image set (evalsets/images), at most `limit` images of each family
    (so the app's camera step and selfies before other backgrounds are in even with a limit), drawn into its
    cache when missing."""
    from evalsets.images import build, dataset

    items = [it for prefix, _, _ in dataset.FAMILIES for it in build.select("tune", limit, families=[prefix])]
    cache = build.cache_dir()
    build.ensure_images(items, cache, workers=1)
    return [(it["kind"], it["filename"], build.image_path(cache, it).read_bytes(), None) for it in items]


def _features_of(item: tuple[str, str, bytes, str | None]) -> dict | None:
    """Analyse one image as production does; its measured kind features."""
    from tickets.analysis import analyse
    from tickets.analysis.ocr import default_engine

    label, filename, data, hint = item
    r = analyse(data, filename=filename, reference_date=REFERENCE, ocr=default_engine(), preview=False, hint=hint)
    print(label, filename, r.kind, r.defects, flush=True)
    return r.metrics.get("kind_features")


def measure(items, cache: Path | None, workers: int = 1) -> list[tuple[str, dict]]:  # noqa: ANN001
    """Analyse every image (in `workers` processes) and keep (label, features), cached by (filename, size)."""
    known = json.loads(cache.read_text()) if cache and cache.exists() else {}

    def key(item) -> str:  # noqa: ANN001
        label, filename, data, hint = item
        return "%s|%s|%d|%s" % (label, filename, len(data), hint)

    todo = [item for item in items if key(item) not in known]
    if workers > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            for item, feats in zip(todo, pool.map(_features_of, todo, chunksize=2)):
                known[key(item)] = feats
    else:
        for item in todo:
            known[key(item)] = _features_of(item)
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(known))
    return [(item[0], known[key(item)]) for item in items if known[key(item)]]


def fit(rows: list[tuple[str, dict]], c: float | None) -> dict:
    """Class-balanced multinomial logistic regression; C by 5-fold cross-validation unless given."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    from tickets.analysis.kind import FEATURES, KINDS

    y = np.array([KINDS.index(label) for label, _ in rows])

    def matrix(scale: dict) -> np.ndarray:
        return np.array([[f[name] * scale.get(name, 1.0) for name in FEATURES] for _, f in rows], dtype=float)

    # The L2 penalty treats every feature alike; a rare but decisive cue (an MRZ whose check digits verify exists
    # only on identity documents, by ICAO design) is given room by scaling it up, i.e. penalising its weight
    # less. How much is chosen with C by cross-validation, like C itself.
    cv = {}
    grid = [(trial, boost) for trial in ((c,) if c else (0.3, 1.0, 3.0, 10.0, 30.0)) for boost in (1.0, 3.0, 6.0)]
    for trial, boost in grid:
        est = LogisticRegression(C=trial, class_weight="balanced", max_iter=5000)
        xs = matrix({"mrz": boost, "mrz_ok": boost, "document_words": boost})
        cv["C=%g boost=%g" % (trial, boost)] = (round(float(cross_val_score(est, xs, y, cv=5,
                                                                            scoring="balanced_accuracy").mean()), 4),
                                                 trial, boost)
    _, c, boost = max(cv.values(), key=lambda v: (v[0], -v[1], v[2]))
    scale = {"mrz": boost, "mrz_ok": boost, "document_words": boost}
    x = matrix(scale)
    cv = {k: v[0] for k, v in cv.items()}
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    model.fit(x, y)
    acc = float((model.predict(x) == y).mean())
    weights, intercepts = {}, {}
    for row, cls in enumerate(model.classes_):
        weights[KINDS[cls]] = [round(float(v), 4) for v in model.coef_[row]]
        intercepts[KINDS[cls]] = round(float(model.intercept_[row]), 4)
    counts = {k: int((y == i).sum()) for i, k in enumerate(KINDS)}
    return {"kinds": list(KINDS), "features": list(FEATURES), "scale": scale, "weights": weights,
            "intercepts": intercepts,
            "fitted_on": {"images": counts, "training_accuracy": round(acc, 4), "C": c, "cv_balanced_accuracy": cv,
                          "script": "scripts/fit_kind_model.py"}}


def fit_added(rows: list[tuple[str, dict]], base: dict, c: float | None = None) -> dict:
    """Keep `base`'s weights and intercepts and fit only the weights of the features it does not have.

    The logits of the base model are a fixed offset; the new features' weights (one per kind) minimise the same
    class-balanced, L2-penalised multinomial loss as `fit` (C as the base was fitted with, unless given). An image
    on which no new cue fires is therefore classified exactly as before: a new cue can only move the images it
    fires on. Used when a full refit on the current cache generalises worse than the model it would replace."""
    import numpy as np
    from scipy.optimize import minimize

    from tickets.analysis.kind import FEATURES, KINDS

    added = [name for name in FEATURES if name not in base["features"]]
    c = c or float(base.get("fitted_on", {}).get("C", 1.0))
    scale = base.get("scale", {})
    y = np.array([KINDS.index(label) for label, _ in rows])
    old = np.array([[f[name] * scale.get(name, 1.0) for name in base["features"]] for _, f in rows], dtype=float)
    w0 = np.array([base["weights"][k] for k in KINDS], dtype=float)
    b0 = np.array([base["intercepts"][k] for k in KINDS], dtype=float)
    offset = old @ w0.T + b0
    x = np.array([[f[name] for name in added] for _, f in rows], dtype=float)
    counts = np.bincount(y, minlength=len(KINDS)).astype(float)
    sample = (len(y) / (len(KINDS) * np.maximum(counts, 1)))[y]
    onehot = np.eye(len(KINDS))[y]

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat.reshape(len(KINDS), len(added))
        z = offset + x @ w.T
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        value = c * float(-(sample * np.log(np.maximum((p * onehot).sum(axis=1), 1e-300))).sum()) + 0.5 * float(
            (w ** 2).sum())
        grad = c * ((p - onehot) * sample[:, None]).T @ x + w
        return value, grad.ravel()

    w = minimize(loss, np.zeros(len(KINDS) * len(added)), jac=True, method="L-BFGS-B").x.reshape(len(KINDS),
                                                                                              len(added))
    z = offset + x @ w.T
    acc = float((z.argmax(axis=1) == y).mean())
    weights = {k: list(base["weights"][k]) + [round(float(v), 4) for v in w[i]] for i, k in enumerate(KINDS)}
    order = list(base["features"]) + added
    weights = {k: [weights[k][order.index(name)] for name in FEATURES] for k in KINDS}
    counts_out = {k: int(n) for k, n in zip(KINDS, counts)}
    return {"kinds": list(KINDS), "features": list(FEATURES), "scale": scale, "weights": weights,
            "intercepts": dict(base["intercepts"]),
            "fitted_on": {"images": counts_out, "training_accuracy": round(acc, 4), "C": c,
                          "base": base.get("fitted_on"), "added": added, "kept_weights_of_base": True,
                          "script": "scripts/fit_kind_model.py"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--imgset", action="store_true", help="also fit on the tune part of evalsets/images")
    parser.add_argument("--imgset-limit", type=int, help="at most N tune images of each family")
    parser.add_argument("--workers", type=int, default=1, help="analyse in N processes")
    parser.add_argument("--limit", type=int, help="at most N of this script's own images")
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "kind-features.json")
    parser.add_argument("--C", type=float, dest="c", help="regularisation (default: chosen by 5-fold CV)")
    parser.add_argument("--output", type=Path, default=ROOT / "tickets" / "analysis" / "kind_model.json")
    parser.add_argument("--refit", action="store_true", help="fit on every image in the cache, analysing nothing")
    parser.add_argument("--keep", type=Path, help="keep this model's weights, fit only the features it lacks")
    args = parser.parse_args()
    base = json.loads(args.keep.read_text()) if args.keep else None

    def fitted(rows: list[tuple[str, dict]]) -> dict:
        return fit_added(rows, base, args.c) if base else fit(rows, args.c)

    if args.refit:
        known = json.loads(args.cache.read_text())
        rows = [(key.split("|", 1)[0], feats) for key, feats in known.items() if feats]
        model = fitted(rows)
        args.output.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(model["fitted_on"]))
        return
    images = args.cache.with_suffix(".images.pickle") if args.cache else None
    if images and images.exists():
        items = pickle.loads(images.read_bytes())[:args.limit] if args.limit else pickle.loads(images.read_bytes())
    else:
        items = synthetic_specs(args.limit)
        if images:
            images.parent.mkdir(parents=True, exist_ok=True)
            images.write_bytes(pickle.dumps(items))
    if args.imgset:
        items += imgset_tune(args.imgset_limit)
    rows = measure(items, args.cache, args.workers)
    model = fitted(rows)
    args.output.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(model["fitted_on"]))


if __name__ == "__main__":
    main()
