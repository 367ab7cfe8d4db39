"""Fonts, real face photos and textures that ship with installed packages (nothing is downloaded)."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFont

NOTO = Path("/usr/share/fonts/opentype/noto")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

# index of each face inside the Noto CJK collections: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
_TTC_INDEX = {"sc": 2, "tc": 3, "hk": 4}


def _font_file(name: str) -> tuple[str, int]:
    """Map a short font name to (file, collection index)."""
    table = {
        "sans": (DEJAVU / "DejaVuSans.ttf", 0),
        "sans-bold": (DEJAVU / "DejaVuSans-Bold.ttf", 0),
        "sans-cond": (DEJAVU / "DejaVuSansCondensed.ttf", 0),
        "sans-cond-bold": (DEJAVU / "DejaVuSansCondensed-Bold.ttf", 0),
        "serif": (DEJAVU / "DejaVuSerif.ttf", 0),
        "serif-bold": (DEJAVU / "DejaVuSerif-Bold.ttf", 0),
        "mono": (DEJAVU / "DejaVuSansMono.ttf", 0),
        "mono-bold": (DEJAVU / "DejaVuSansMono-Bold.ttf", 0),
    }
    if name in table:
        path, idx = table[name]
        return str(path), idx
    # e.g. "cjk-sc", "cjk-tc-bold", "cjkserif-sc"
    family, _, rest = name.partition("-")
    script, _, weight = rest.partition("-")
    stem = "NotoSerifCJK" if family == "cjkserif" else "NotoSansCJK"
    file = NOTO / f"{stem}-{'Bold' if weight == 'bold' else 'Regular'}.ttc"
    return str(file), _TTC_INDEX[script]


@functools.lru_cache(maxsize=512)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A cached Pillow font; size in pixels (at least 6)."""
    path, idx = _font_file(name)
    return ImageFont.truetype(path, max(6, int(size)), index=idx)


def fonts_available() -> bool:
    """True when the CJK and Latin fonts the generator draws with are installed."""
    return all(Path(_font_file(n)[0]).exists() for n in ("sans", "mono", "cjk-sc", "cjkserif-sc"))


@dataclass(frozen=True)
class FacePhoto:
    """A real photograph of one person, with the face box (x, y, w, h) in its pixels."""

    name: str
    image: Image.Image
    face: tuple[int, int, int, int]


def _skimage_data(name: str) -> Path:
    import skimage

    return Path(os.path.dirname(skimage.__file__)) / "data" / name


def _matplotlib_sample(name: str) -> Path:
    import matplotlib

    return Path(os.path.dirname(matplotlib.__file__)) / "mpl-data" / "sample_data" / name


@functools.lru_cache(maxsize=1)
def face_photos() -> tuple[FacePhoto, ...]:
    """The two real portrait photographs shipped in wheels: scikit-image's astronaut, matplotlib's Grace Hopper.

    Face boxes were measured once (by eye, confirmed with a Haar cascade) and are fixed here.
    """
    astro = Image.open(_skimage_data("astronaut.png")).convert("RGB")
    hopper = Image.open(_matplotlib_sample("grace_hopper.jpg")).convert("RGB")
    return (
        FacePhoto("astronaut", astro, (172, 58, 105, 112)),
        FacePhoto("grace_hopper", hopper, (160, 100, 215, 240)),
    )


@functools.lru_cache(maxsize=1)
def small_faces() -> np.ndarray:
    """scikit-image's LFW subset: 100 tiny (25 x 25) grey face crops of different people, values 0..1."""
    return np.load(_skimage_data("lfw_subset.npy"))[:100]


@functools.lru_cache(maxsize=16)
def texture(name: str) -> Image.Image:
    """A photographic texture or scene from scikit-image's data (brick, grass, gravel, coffee, ...)."""
    return Image.open(_skimage_data(name)).convert("RGB")


SCENE_PHOTOS = ("coffee.png", "chelsea.png", "rocket.jpg", "hubble_deep_field.jpg", "motorcycle_left.png",
                "coins.png", "moon.png", "retina.jpg", "ihc.png", "horse.png")
TEXTURES = ("brick.png", "grass.png", "gravel.png")
