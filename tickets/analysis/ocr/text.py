"""Text helpers shared by the OCR engines and their measurement: CJK spacing and punctuation, CER."""

from __future__ import annotations

import re

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE_RE = re.compile(r"(?<=[%s])[ \t]+(?=[%s])" % (_CJK, _CJK))
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_CJK_PUNCT_RE = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])\s*([,:;])\s*(?=[\u3400-\u4dbf\u4e00-\u9fff])")
_FULLWIDTH = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b"}


def remove_cjk_spaces(text: str) -> str:
    """Tesseract puts spaces between CJK characters; Chinese has none."""
    return _CJK_SPACE_RE.sub("", text)


def cjk_punctuation(text: str) -> str:
    """`網路 , 請` -> `網路，請`: ASCII comma/colon/semicolon between CJK characters becomes full-width."""
    return _CJK_PUNCT_RE.sub(lambda m: _FULLWIDTH[m.group(1)], text)


def has_cjk(text: str) -> bool:
    """Whether recognised text contains Chinese characters."""
    return bool(_CJK_RE.search(text))


def _substring_distance(needle: str, hay: str) -> int:
    """Edit distance from needle to its best-matching substring of hay (Sellers' algorithm)."""
    if not needle:
        return 0
    prev = [0] * (len(hay) + 1)  # free start anywhere in hay
    for i, a in enumerate(needle, 1):
        cur = [i] + [0] * len(hay)
        for j, b in enumerate(hay, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != b))
        prev = cur
    return min(prev)


def character_error_rate(expected_lines: list[str], ocr_text: str) -> float:
    """CER of known lines against OCR output: each line matched where it reads best; whitespace ignored, NFKC."""
    import unicodedata

    hay = re.sub(r"\s+", "", unicodedata.normalize("NFKC", ocr_text))
    total = dist = 0
    for line in expected_lines:
        needle = re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))
        total += len(needle)
        dist += _substring_distance(needle, hay)
    return dist / total if total else 0.0
