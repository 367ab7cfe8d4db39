"""The labelled set: which images exist, their labels and their part (tune / test / spent / frozen), all from seeds.

Every item is planned from its own seed (derived from MASTER_SEED and the item's id) without drawing a pixel:
the plan holds every label. render() draws the item from its plan; the same plan always gives the same bytes.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import numpy as np

from . import assets, documents, others, photo, scenes, screens, selfies

GENERATOR_VERSION = "4"  # bump whenever a plan or a drawing changes; the cache is keyed by it
MASTER_SEED = 20261202
# families of items: (id prefix, kind, count); new families are appended so that no existing id changes
FAMILIES = (("doc", "id_document", 640), ("scr", "screenshot", 480), ("sel", "selfie", 320), ("oth", "other", 160),
            ("cam", "screenshot", 96),  # cam: the app's own camera step (a face or a card in the preview)
            ("sbg", "selfie", 96),  # sbg: selfies whose person stands in front of other, defocused backgrounds
            # The second frozen part, planned on 2 Dec 2026 after the first was scored once (and spent): items of
            # the families above under new ids (a "z" before the family), every one of them frozen.
            ("zdoc", "id_document", 300), ("zscr", "screenshot", 120), ("zcam", "screenshot", 30),
            ("zsel", "selfie", 120), ("zsbg", "selfie", 30), ("zoth", "other", 80))
FROZEN_PREFIX = "z"
COUNTS = {kind: sum(n for _, k, n in FAMILIES if k == kind) for kind in ("id_document", "screenshot", "selfie", "other")}
# spent: the first frozen part, scored once at main 6643f71 (RESULTS.md) and so no longer frozen: a test part now.
PARTS = ("tune", "test", "spent", "frozen")
DEFECTS = ("blurry", "glare", "too_dark", "low_resolution", "cropped", "no_face", "multiple_faces", "expired_document")

DOC_SCENARIOS = ((), ("blurry",), ("glare",), ("too_dark",), ("low_resolution",), ("cropped",),
                 ("cropped", "blurry"), ("glare", "cropped"), ("too_dark", "blurry"))
DOC_WEIGHTS = (0.43, 0.10, 0.10, 0.08, 0.08, 0.12, 0.03, 0.03, 0.03)
SELFIE_SCENARIOS = ((), ("too_dark",), ("blurry",), ("low_resolution",), ("multiple_faces",), ("no_face",))
SELFIE_WEIGHTS = (0.40, 0.12, 0.12, 0.08, 0.12, 0.16)


def item_seed(item_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{MASTER_SEED}:{item_id}".encode()).digest()[:8], "big")


def part_of(seed: int) -> str:
    """The split of the first families, fixed once by the seed: 50 % tune, 30 % test, 20 % spent (once frozen)."""
    bucket = (seed >> 16) % 10
    return "tune" if bucket < 5 else "test" if bucket < 8 else "spent"


def family_of(item_id: str) -> str:
    """The family an item is drawn as: a frozen item ("zdoc-0001") is drawn like its family ("doc")."""
    prefix = item_id.split("-")[0]
    return prefix[len(FROZEN_PREFIX):] if prefix.startswith(FROZEN_PREFIX) else prefix


def item_ids() -> list[str]:
    return [f"{prefix}-{i:04d}" for prefix, _, n in FAMILIES for i in range(n)]


def _kind_of(item_id: str) -> str:
    return {prefix: kind for prefix, kind, _ in FAMILIES}[item_id.split("-")[0]]


def _reference(rng: np.random.Generator) -> date:
    return date(2025, 6, 1) + timedelta(days=int(rng.integers(0, 548)))


def _choice(rng: np.random.Generator, options: tuple, weights: tuple | None = None):  # noqa: ANN202
    idx = rng.choice(len(options), p=None if weights is None else np.array(weights) / sum(weights))
    return options[int(idx)]


def plan_item(item_id: str) -> dict:
    """The full label of one item (its plan); cheap, no pixels."""
    seed = item_seed(item_id)
    rng = np.random.default_rng(seed)
    kind = _kind_of(item_id)
    frozen = item_id.startswith(FROZEN_PREFIX)
    item = {"id": item_id, "seed": seed, "part": "frozen" if frozen else part_of(seed), "kind": kind,
            "reference_date": _reference(rng).isoformat()}
    {"id_document": _plan_document, "screenshot": _plan_screen, "selfie": _plan_selfie, "other": _plan_other}[kind](
        item, rng)
    item["defects"] = sorted(set(item["defects"]))
    return item


def _photo_size(rng: np.random.Generator) -> tuple[int, int]:
    if rng.random() < 0.03:
        w, h = 4032, 3024  # a 12-megapixel phone photo
    else:
        long = int(rng.uniform(1100, 2200))
        w, h = long, int(long * 3 / 4)
    return (w, h) if rng.random() < 0.7 else (h, w)


def _plan_document(item: dict, rng: np.random.Generator) -> None:
    template = str(rng.choice(sorted(documents.TEMPLATES)))
    defects = list(_choice(rng, DOC_SCENARIOS, DOC_WEIGHTS))
    ref = date.fromisoformat(item["reference_date"])
    doc = documents.plan_document(rng, template, ref, expired=bool(rng.random() < 0.3))
    capture = str(_choice(rng, ("scan_tight", "scan_margin", "table", "hand", "screen"), (0.15, 0.15, 0.45, 0.15, 0.10)))
    if capture.startswith("scan") and ({"glare", "too_dark"} & set(defects) or
                                       (capture == "scan_tight" and "cropped" in defects)):
        capture = "table"
    if capture == "screen" and {"glare", "too_dark"} & set(defects):
        capture = "table"
    ratio = documents.TEMPLATES[template].ratio
    scene: dict = {"capture": capture, "gain": float(rng.uniform(0.88, 1.04)), "gamma": 1.0,
                   "noise": float(rng.uniform(1.0, 3.5))}
    if capture == "scan_tight":
        w = int(rng.uniform(1150, 2000))
        scene.update(scene_w=w, scene_h=int(round(w / ratio)), card_px=w, outside=0.0, gain=1.0, gamma=1.0,
                     noise=float(rng.uniform(0.5, 1.5)))
    else:
        if capture == "scan_margin":
            w = int(rng.uniform(1300, 2200))
            scene.update(scene_w=w, scene_h=int(w * rng.choice([1.414, 0.75])), background="plain", tilt_x=0.0,
                         tilt_y=0.0, roll=float(rng.uniform(-3, 3)), card_frac=float(rng.uniform(0.45, 0.8)),
                         cx=float(rng.uniform(0.4, 0.6)), cy=float(rng.uniform(0.35, 0.6)), gain=1.0, gamma=1.0)
        else:
            w, h = _photo_size(rng)
            mag, phi = float(rng.choice([rng.uniform(0, 10), rng.uniform(10, 22), rng.uniform(22, 30)],
                                        p=[0.4, 0.4, 0.2])), float(rng.uniform(0, 2 * np.pi))
            roll = float(rng.uniform(-25, 25)) + (float(rng.choice([-90, 90])) if rng.random() < 0.1 else 0.0)
            scene.update(scene_w=w, scene_h=h, background=str(rng.choice(sorted(photo.BACKGROUNDS))),
                         tilt_x=mag * float(np.cos(phi)), tilt_y=mag * float(np.sin(phi)), roll=roll,
                         card_frac=float(rng.uniform(0.5, 0.85)), cx=float(rng.uniform(0.4, 0.6)),
                         cy=float(rng.uniform(0.4, 0.6)))
            if capture == "hand":
                scene["skin"] = tuple(int(v) for v in rng.choice([(224, 172, 140), (198, 134, 96), (141, 85, 54)]))
            if capture == "screen":
                scene["moire"] = float(rng.uniform(0.12, 0.28))
            if "too_dark" not in defects and rng.random() < 0.35:
                scene["shadow"] = float(rng.uniform(0.2, 0.45))
            if rng.random() < 0.5:
                scene["cast"] = float(rng.uniform(0.04, 0.14))
            if rng.random() < 0.3:
                scene["vignette"] = float(rng.uniform(0.1, 0.35))
            if "glare" not in defects and rng.random() < 0.3:
                scene["sheen"] = float(rng.uniform(10, 22))
            if rng.random() < 0.25:
                scene["hologram"] = float(rng.uniform(0.06, 0.12))
        if "cropped" in defects:
            scene["crop_side"] = str(rng.choice(["left", "right", "top", "bottom"]))
            scene["crop_amount"] = float(rng.uniform(0.08, 0.3))
        scenes.place(scene, ratio, rng)
    card_px = scene["card_px"]
    if "blurry" in defects:
        if rng.random() < 0.3:
            scene["motion"] = float(card_px * rng.uniform(0.015, 0.03))
            scene["motion_angle"] = float(rng.uniform(0, 180))
        else:
            scene["blur_sigma"] = float(max(2.5, card_px * rng.uniform(0.0035, 0.007)))
    if "too_dark" in defects:
        scene.update(gain=float(rng.uniform(0.2, 0.35)), gamma=float(rng.uniform(1.2, 1.5)), noise=float(rng.uniform(3, 7)))
    if "glare" in defects:
        scene["glare"] = {"r": float(rng.uniform(0.07, 0.13)), "stretch": float(rng.uniform(1, 2)),
                          "angle": float(rng.uniform(0, np.pi)), **_visible_glare_spot(rng, doc, scene)}
    if "low_resolution" in defects:
        scene["out_short"] = int(rng.uniform(260, 560))
    if doc["expired"]:
        defects.append("expired_document")
    w, h = scene["scene_w"], scene["scene_h"]
    if scene.get("out_short"):
        k = scene["out_short"] / min(w, h)
        w, h = max(1, int(w * k)), max(1, int(h * k))
    scan = capture.startswith("scan")
    fmt = "png" if scan and rng.random() < 0.3 else "jpeg"
    item.update(defects=defects, width=w, height=h, format=fmt,
                quality=int(rng.uniform(75, 95)) if scan else int(rng.uniform(40, 95)),
                filename=_filename(rng, fmt, ("passport.jpg", "id_card.jpg", "证件照片.jpg", "licence.jpg")),
                document=doc, scene=scene)


def _visible_glare_spot(rng: np.random.Generator, doc: dict, scene: dict) -> dict:
    """A glare centre over the printed data that lies inside the frame (a cut-off part cannot shine)."""
    ratio = documents.TEMPLATES[doc["template"]].ratio
    small = 400
    _, regions = documents.draw_document(doc, small, np.random.default_rng(0))
    x0, y0, x1, y1 = regions["text"]
    card_w = scene["card_px"]
    card_h = int(round(card_w / ratio))
    matrix = photo.homography(card_w, card_h, scenes.card_corners(scene, card_w, card_h)) \
        if scene["capture"] != "scan_tight" else np.eye(3)
    W, H = scene["scene_w"], scene["scene_h"]
    best = None
    for _ in range(40):
        u, v = float(rng.uniform(0.15, 0.85)), float(rng.uniform(0.2, 0.8))
        px = (x0 + u * (x1 - x0)) * card_w / small
        py = (y0 + v * (y1 - y0)) * card_w / small
        sx, sy, sw = matrix @ np.array([px, py, 1.0])
        margin = min(sx / sw, sy / sw, W - sx / sw, H - sy / sw)
        if best is None or margin > best[0]:
            best = (margin, u, v)
        if margin > 0.08 * min(W, H):
            break
    return {"u": best[1], "v": best[2], "margin_px": round(float(best[0]), 1)}


def _plan_screen(item: dict, rng: np.random.Generator) -> None:
    plan = screens.plan_camera_screen(rng) if family_of(item["id"]) == "cam" else screens.plan_screen(rng)
    capture = str(_choice(rng, ("png", "jpeg", "photo_of_screen"), (0.70, 0.22, 0.08)))
    item.update(defects=[], screen=plan, capture=capture, width=plan["width"], height=plan["height"],
                format="png" if capture == "png" else "jpeg", quality=int(rng.uniform(60, 95)))
    if capture == "photo_of_screen":
        w, h = _photo_size(rng)
        w, h = min(w, h), max(w, h)
        scene = {"scene_w": w, "scene_h": h, "background": str(rng.choice(["plain", "wood", "fabric"])),
                 "tilt_x": float(rng.uniform(-12, 12)), "tilt_y": float(rng.uniform(-12, 12)),
                 "roll": float(rng.uniform(-6, 6)), "card_frac": float(rng.uniform(0.7, 0.85)), "cx": 0.5,
                 "cy": 0.5, "moire": float(rng.uniform(0.08, 0.2)), "gain": float(rng.uniform(0.9, 1.05)),
                 "noise": float(rng.uniform(1.5, 3.5))}
        ratio = (plan["width"] * 1.08) / (plan["height"] + plan["width"] * 0.08)
        scenes.place(scene, ratio, rng)
        item.update(scene=scene, width=w, height=h)
    item["filename"] = (f"Screenshot_{20260000 + int(rng.integers(101, 1231))}-{int(rng.integers(0, 235959)):06d}.png"
                        if item["format"] == "png" and rng.random() < 0.5
                        else _filename(rng, item["format"], ("screenshot.png", "截图.png", "error.png")))


def _plan_selfie(item: dict, rng: np.random.Generator) -> None:
    defects = list(_choice(rng, SELFIE_SCENARIOS, SELFIE_WEIGHTS))
    person = str(rng.choice(["astronaut", "grace_hopper"]))
    aspect = float(rng.choice([4 / 3, 16 / 9]))
    face_w, photo_h = {"astronaut": (105, 512), "grace_hopper": (215, 600)}[person]
    lowest = face_w * aspect / photo_h  # the crop must fit inside the photograph
    frac = float(rng.uniform(lowest, lowest + 0.12))
    crop_w = face_w / frac
    if "low_resolution" in defects:
        short = int(rng.uniform(200, 420))
    else:
        short = int(rng.uniform(500, max(520, min(900, 2.0 * crop_w))))
    plan = {"subject": "face", "person": person, "face_frac": frac, "dx": float(rng.uniform(-0.4, 0.4)),
            "dy": float(rng.uniform(-0.3, 0.3)), "flip": bool(rng.random() < 0.5),
            "roll": float(rng.uniform(-8, 8)) if rng.random() < 0.5 else 0.0,
            "cast": float(rng.uniform(0, 0.12)), "gain": float(rng.uniform(0.92, 1.1)), "gamma": 1.0,
            "noise": float(rng.uniform(1.0, 3.5)), "blur_sigma": 0.0, "motion": 0.0,
            "width": short, "height": int(short * aspect)}
    if "multiple_faces" in defects:
        layout = str(rng.choice(["side_by_side", "over_shoulder"]))
        other = "grace_hopper" if person == "astronaut" else "astronaut"
        plan.update(subject="two_faces", layout=layout, person2=other if rng.random() < 0.7 else person,
                    second_frac=float(rng.uniform(0.16, 0.24)))
        if layout == "side_by_side":
            plan.update(width=int(short * 4 / 3), height=short, face_frac=min(0.6, frac * 1.5), dx=0.0)
    if "no_face" in defects:
        plan.update(subject=str(rng.choice(selfies.NO_FACE_SUBJECTS)), width=int(rng.uniform(600, 1000)))
        plan["height"] = int(plan["width"] * aspect)
    face_px = plan["face_frac"] * plan["width"]
    if "blurry" in defects:
        if rng.random() < 0.3:
            plan["motion"] = float(face_px * rng.uniform(0.1, 0.18))
        else:
            plan["blur_sigma"] = float(max(3.0, face_px * rng.uniform(0.03, 0.06)))
    if "too_dark" in defects:
        plan.update(gain=float(rng.uniform(0.15, 0.28)), gamma=float(rng.uniform(1.2, 1.5)), noise=float(rng.uniform(4, 8)))
    item.update(defects=defects, selfie=plan, width=plan["width"], height=plan["height"], format="jpeg",
                quality=int(rng.uniform(55, 95)), filename=_filename(rng, "jpeg", ("selfie.jpg", "自拍.jpg", "me.jpg")))
    if family_of(item["id"]) == "sbg" and plan["subject"] == "face":
        plan["background"] = str(rng.choice(["plain", "wood", "fabric", "texture"]))
        plan["bg_blur"] = float(rng.uniform(2, 8) * plan["width"] / 700)


def _plan_other(item: dict, rng: np.random.Generator) -> None:
    subject = str(_choice(rng, others.SUBJECTS, (0.3, 0.25, 0.3, 0.15)))
    long = int(rng.uniform(800, 1600))
    w, h = (long, int(long * 0.75)) if rng.random() < 0.6 else (int(long * 0.75), long)
    plan = {"subject": subject, "width": w, "height": h}
    if subject == "photo":
        plan["source"] = str(rng.choice(assets.SCENE_PHOTOS))
    item.update(defects=[], other=plan, width=w, height=h, format="jpeg", quality=int(rng.uniform(60, 95)),
                filename=_filename(rng, "jpeg", ("photo.jpg", "receipt.jpg", "image.jpg")))


def _filename(rng: np.random.Generator, fmt: str, hints: tuple[str, ...]) -> str:
    """Mostly a camera's neutral name; one in six carries the customer's own (truthful) hint."""
    if rng.random() < 1 / 6:
        name = str(rng.choice(hints))
        stem = name.rsplit(".", 1)[0]
        return f"{stem}.{'png' if fmt == 'png' else 'jpg'}"
    ext = "png" if fmt == "png" else str(rng.choice(["jpg", "jpeg", "JPG"]))
    return f"IMG_{int(rng.integers(1000, 9999))}.{ext}"


def render(item: dict) -> bytes:
    """The item's file bytes, drawn from its plan (deterministic)."""
    rng = np.random.default_rng(item["seed"] ^ 0x5EED)
    kind = item["kind"]
    if kind == "id_document":
        img = scenes.draw_document_scene(item["document"], dict(item["scene"]), rng)
    elif kind == "screenshot":
        screen = screens.draw_screen(item["screen"], rng)
        if item["capture"] == "photo_of_screen":
            img = scenes.draw_screen_photo(screen, item["scene"], rng)
        else:
            return photo.encode(screen, item["format"], item["quality"])
    elif kind == "selfie":
        img = selfies.draw_selfie(item["selfie"], rng)
    else:
        img = others.draw_other(item["other"], rng)
    return photo.encode(img, item["format"], item["quality"])


def manifest(part: str | None = None) -> list[dict]:
    """Every item's plan (label), optionally of one part only."""
    items = [plan_item(i) for i in item_ids()]
    return [it for it in items if part is None or it["part"] == part]
