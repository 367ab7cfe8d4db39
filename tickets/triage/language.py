"""Language detection by script share: tickets here are Chinese or English, so no model is needed."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")

# One English word carries about as much as one or two hanzi, so words are weighted 1.5 against
# characters; a Chinese customer pasting "KYC", error codes or app names still comes out "zh".
WORD_WEIGHT = 1.5
CJK_SHARE = 0.3


def detect_language(text: str) -> str:
    """Return "zh" when CJK characters are a meaningful share of the letters, else "en"."""
    if not text:
        return "en"
    cjk = len(_CJK.findall(text))
    if cjk == 0:
        return "en"
    latin_words = len(_LATIN_WORD.findall(text))
    share = cjk / (cjk + WORD_WEIGHT * latin_words)
    return "zh" if share >= CJK_SHARE else "en"
