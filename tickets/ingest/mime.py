"""Tolerant readers for MIME header parameters, because real filenames break every rule in RFC 2231."""
from __future__ import annotations

import mimetypes
import os
import re
import unicodedata
from urllib.parse import unquote_to_bytes

from .charsets import decode_text
from .headers import clean_text, decode_header_value

_PARAM = re.compile(r';\s*([^\s=;"]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)', re.DOTALL)
_SECTION = re.compile(r"^([^*]+)\*(\d+)?(\*)?$")
_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/pjpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "text/html": ".html",
    "message/rfc822": ".eml",
    "application/octet-stream": ".bin",
    "application/ms-tnef": ".dat",
}


def header_params(value: str) -> dict[str, str]:
    """Lower-cased parameters of a Content-Type/Disposition value, RFC 2231 and RFC 2047 decoded."""
    plain: dict[str, str] = {}
    sections: dict[str, dict[int, tuple[str, bool]]] = {}
    for match in _PARAM.finditer(value.replace("\r", "").replace("\n", "")):
        key, val = match.group(1).lower(), match.group(2).strip()
        if val.startswith('"'):
            val = val[1:-1] if len(val) > 1 and val.endswith('"') else val[1:]
            val = re.sub(r"\\(.)", r"\1", val)
        section = _SECTION.match(key)
        if section:
            index = int(section.group(2)) if section.group(2) else 0
            encoded = section.group(2) is None or section.group(3) is not None
            sections.setdefault(section.group(1), {})[index] = (val, encoded)
        else:
            plain.setdefault(key, val)
    result = {key: decode_header_value(val) for key, val in plain.items()}
    for key, pieces in sections.items():
        result[key] = _join_rfc2231(pieces)
    return result


def _join_rfc2231(pieces: dict[int, tuple[str, bool]]) -> str:
    """Join and decode RFC 2231 continuations (charset'language'percent-encoded)."""
    charset = ""
    data = b""
    for position, index in enumerate(sorted(pieces)):
        text, encoded = pieces[index]
        if encoded and position == 0 and text.count("'") >= 2:
            charset, _lang, text = text.split("'", 2)
        raw = text.encode("utf-8", errors="surrogateescape")
        data += unquote_to_bytes(raw) if encoded else raw
    decoded, _warning = decode_text(data, charset or None)
    return decoded


def raw_header(part: object, name: str) -> str:
    """First raw value of a header (undecoded, 8-bit bytes as surrogates), or ""."""
    lname = name.lower()
    try:
        for key, value in part.raw_items():  # type: ignore[attr-defined]
            if key.lower() == lname:
                return str(value)
    except Exception:  # noqa: BLE001 - a broken header list still means "no such header"
        return ""
    return ""


def content_type_of(part: object) -> str:
    """Declared media type in lower case, "text/plain" when missing or invalid."""
    value = raw_header(part, "Content-Type")
    declared = clean_text(value.split(";", 1)[0]).lower().replace(" ", "")
    if re.match(r"^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$", declared):
        return declared
    try:
        return part.get_content_type()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return "text/plain"


def disposition_of(part: object) -> str:
    """"attachment", "inline" or ""."""
    value = clean_text(raw_header(part, "Content-Disposition").split(";", 1)[0]).lower()
    return value if value in ("attachment", "inline") else ("attachment" if value else "")


def extension_for(content_type: str) -> str:
    """A filename extension for a media type, ".bin" when unknown."""
    if content_type in _EXTENSIONS:
        return _EXTENSIONS[content_type]
    guessed = mimetypes.guess_extension(content_type, strict=False)
    return guessed or ".bin"


def safe_filename(name: str, content_type: str, index: int) -> str:
    """A basename safe to store: no path, no control or bidi characters, never empty."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp"))
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"\s+", " ", name).strip(" .")
    name = re.sub(r'[<>:"|?*]', "_", name)
    if len(name) > 150:
        stem, ext = os.path.splitext(name)
        name = stem[: 150 - len(ext[:20])] + ext[:20]
    if not name or name in (".", ".."):
        name = "attachment-%d%s" % (index, extension_for(content_type))
    return name
