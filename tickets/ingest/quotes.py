"""Cut quoted earlier mail and signatures, so triage reads only what the customer just wrote."""
from __future__ import annotations

import re

_ATTRIBUTION = re.compile(
    r"^\s*(on\s.{4,300}\bwrote:|在.{2,200}(写道|寫道)[:：]?|.{2,200}(写道|寫道)[:：]|"
    r"le\s.{4,200}a écrit\s?:|am\s.{4,200}schrieb.{0,80}:)\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(original message|forwarded message|replied message|reply message|原始邮件|原始郵件|"
    r"转发邮件|轉寄郵件|回复的原邮件|邮件原文)\s*-{2,}|_{10,}|"
    r"-{5,}\s*(原始邮件|原始郵件)\s*-{5,}|begin forwarded message:)\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?(from|发件人|發件人|寄件者|寄件人)\s*\*?\s*[:：]", re.IGNORECASE)
_HEADER_OTHER = re.compile(
    r"^\s*\*?(sent|date|to|subject|cc|发送时间|发送日期|時間|日期|收件人|收件者|主题|主旨|抄送|副本)\s*\*?\s*[:：]",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^\s*(--\s?|sent from my .{1,40}|sent from (outlook|mail|yahoo mail|gmail).{0,40}|get outlook for .{1,30}|"
    r"sent via .{1,40}|发自我的.{1,30}|發自我的.{1,30}|来自我的.{1,30}|來自我的.{1,30}|从我的.{1,30}发送|"
    r"從我的.{1,30}(傳送|发送)|发自.{1,20}(邮箱|郵箱|邮件|mail).{0,20})\s*$",
    re.IGNORECASE,
)


def _cut_index(lines: list[str]) -> int | None:
    """Index of the first line where quoted history or a signature starts."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _SEPARATOR.match(line) or _SIGNATURE.match(line) or _ATTRIBUTION.match(line):
            return index
        if index + 1 < len(lines) and stripped.lower().startswith("on ") and len(stripped) < 300:
            joined = stripped + " " + lines[index + 1].strip()
            if _ATTRIBUTION.match(joined):
                return index
        if _HEADER_FROM.match(line):
            following = [item for item in lines[index + 1 : index + 6] if item.strip()]
            if sum(1 for item in following if _HEADER_OTHER.match(item)) >= 2:
                return index
    return None


def strip_quoted(text: str) -> str:
    """Text without quoted replies and signatures; the whole text when nothing of it would be left."""
    if not text:
        return ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _cut_index(lines)
    if cut is not None:
        lines = lines[:cut]
    kept = [line for line in lines if not line.lstrip().startswith(">")]
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in kept)).strip()
    if result:
        return result
    without_quotes = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(without_quotes).strip()
