"""Language detection by script share: tickets here are Chinese or English, so no model is needed."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]")
_LATIN = re.compile(r"[A-Za-z]")

# Chinese packs far more meaning per character than English: 15% CJK letters already means a
# Chinese-speaking customer pasting Latin error codes, product names or URLs.
CJK_SHARE = 0.15


def detect_language(text: str) -> str:
    """Return "zh" when CJK characters are a meaningful share of the letters, else "en"."""
    if not text:
        return "en"
    cjk = len(_CJK.findall(text))
    if cjk == 0:
        return "en"
    latin_words = len(re.findall(r"[A-Za-z]+", text))
    # Compare characters with words: one English word carries about as much as one or two hanzi.
    share = cjk / (cjk + 1.5 * latin_words)
    return "zh" if share >= CJK_SHARE or cjk >= 20 else "en"
