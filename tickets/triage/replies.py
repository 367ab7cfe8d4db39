"""Suggested replies: pick the template variant that names what is actually wrong, then fill it in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from . import codes
from .reply_texts import DEFAULT_TEMPLATES
from .rules import collect_signals, error_line_for
from .types import AttachmentFacts, CategoryScore, RenderedReply, ReplyTemplate, TicketFacts

__all__ = ["DEFAULT_TEMPLATES", "RenderedReply", "ReplyTemplate", "render", "suggest"]

# Defect on the right kind of attachment -> template variant, in order of what to mention first.
DOC_VARIANTS: dict[str, str] = {
    codes.EXPIRED_DOCUMENT: "expired",
    codes.UNREADABLE: "unreadable",
    codes.UNSUPPORTED_FILE: "unsupported_file",
    codes.FILE_TOO_LARGE: "file_too_large",
    codes.GLARE: "glare",
    codes.CROPPED: "cropped",
    codes.BLURRY: "blurry",
    codes.TOO_DARK: "too_dark",
    codes.LOW_RESOLUTION: "low_resolution",
}
FACE_VARIANTS: dict[str, str] = {
    codes.NO_FACE: "no_face",
    codes.MULTIPLE_FACES: "multiple_faces",
    codes.TOO_DARK: "too_dark",
    codes.BLURRY: "blurry",
}
# When only the customer's words name the problem, the matching phrase rule picks the variant.
RULE_VARIANTS: dict[str, str] = {
    "zh.glare": "glare", "en.glare": "glare", "en.laminated": "glare",
    "zh.blur": "blurry", "en.blur": "blurry",
    "zh.cropped": "cropped", "en.cropped": "cropped",
    "zh.expired": "expired", "en.expired_doc": "expired", "en.expired": "expired",
    "zh.too_large": "file_too_large", "en.too_large": "file_too_large",
    "zh.format": "unsupported_file", "en.format": "unsupported_file",
    "zh.resolution": "low_resolution", "en.resolution": "low_resolution",
    "zh.light": "too_dark", "en.light": "too_dark",
    "zh.no_face": "no_face", "en.no_face": "no_face",
    "zh.multi_face": "multiple_faces", "en.multi_face": "multiple_faces",
    "zh.face_blur": "blurry", "en.face_blur": "blurry",
}
ATTACHMENT_MATCH = 1.0
TEXT_MATCH = 0.95
GENERIC = 0.9

_REGION = {
    "en": {"top-left": "in the top-left corner", "top": "along the top", "top-right": "in the top-right corner",
           "left": "on the left side", "center": "in the middle", "centre": "in the middle", "right": "on the right side",
           "bottom-left": "in the bottom-left corner", "bottom": "along the bottom", "bottom-right": "in the bottom-right corner"},
    "zh": {"top-left": "左上角", "top": "上方", "top-right": "右上角", "left": "左侧", "center": "中间", "centre": "中间",
           "right": "右侧", "bottom-left": "左下角", "bottom": "下方", "bottom-right": "右下角"},
}
_EDGE = {"en": {"left": "left", "right": "right", "top": "top", "bottom": "bottom"},
         "zh": {"left": "左侧", "right": "右侧", "top": "上方", "bottom": "下方"}}


def _problem(defect: str, kind: str, details: Mapping, lang: str) -> str:
    """A localised clause saying what is wrong, with the measured specifics when we have them."""
    info = details.get(defect) or {}
    zh = lang == "zh"
    region = _REGION["zh" if zh else "en"].get(str(info.get("region", "")), "")
    selfie = kind == codes.SELFIE
    if defect == codes.GLARE:
        if zh:
            return "照片%s有反光" % region if region else "照片上有反光"
        return "the photo has glare %s" % region if region else "the photo has glare on it"
    if defect == codes.BLURRY:
        if selfie:
            return "自拍有些模糊，面部轮廓不够清晰" if zh else "the selfie is blurred, so your features aren't sharp"
        return "照片有些模糊，证件上的文字看不清" if zh else "the photo is out of focus and the text can't be read"
    if defect == codes.TOO_DARK:
        if selfie:
            return "自拍光线太暗，系统看不清您的面部" if zh else "the selfie is too dark for the camera to make out your face"
        return "照片偏暗，证件上的信息看不清" if zh else "the photo is too dark to read the details"
    if defect == codes.CROPPED:
        edge = _EDGE["zh" if zh else "en"].get(str(info.get("edge", "")), "")
        if zh:
            return "证件%s的边缘没有完整拍进画面" % edge
        return "the %s edge of the document is cut off" % edge if edge else "part of the document's edge is cut off"
    if defect == codes.LOW_RESOLUTION:
        if info.get("width") and info.get("height"):
            size = "%s×%s" % (info["width"], info["height"])
            return "图片只有 %s 像素，细节看不清" % size if zh else "the image is only %s pixels, too small to read" % size
        return "图片分辨率太低，细节看不清" if zh else "the resolution is too low to read the details"
    if defect == codes.EXPIRED_DOCUMENT:
        return "这份证件已经过期" if zh else "this document has expired"
    if defect == codes.UNREADABLE:
        return "文件已损坏或是空的" if zh else "the file seems to be damaged or empty"
    if defect == codes.UNSUPPORTED_FILE:
        return "这种文件格式我们暂时无法识别" if zh else "it's in a file format we can't read"
    if defect == codes.FILE_TOO_LARGE:
        return "文件超过了上传大小限制" if zh else "it's larger than our upload limit"
    if defect == codes.NO_FACE:
        return "系统没有检测到人脸" if zh else "the system couldn't find a face"
    if defect == codes.MULTIPLE_FACES:
        return "画面里出现了不止一张脸" if zh else "there is more than one face in the picture"
    return ""


def _variant_problem(variant: str, category: str, lang: str) -> str:
    """The problem clause when only the customer's words (no analysed attachment) point at the variant."""
    kind = codes.SELFIE if category == codes.FACE_RECOGNITION_FAILED else codes.ID_DOCUMENT
    reverse = {v: d for d, v in (FACE_VARIANTS if kind == codes.SELFIE else DOC_VARIANTS).items()}
    defect = reverse.get(variant)
    return _problem(defect, kind, {}, lang) if defect else ""


# Reply prefixes mail clients add, in the languages our customers write in; and our own reference tag.
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|fw|fwd|答复|回复|回覆|回復|转发|轉寄|转寄)\s*(?:\[\d+\])?\s*[:：]\s*)+", re.I)
_REFERENCE_TAG = re.compile(r"\s*\[KYC-\d+\]", re.I)


def thread_subject(customer_subject: str, ticket_reference: str = "") -> str:
    """ "Re: <the customer's subject> [KYC-000123]": one Re:, one tag, so mail clients keep the thread."""
    subject = " ".join((customer_subject or "").split())
    while True:
        stripped = _REFERENCE_TAG.sub("", _REPLY_PREFIX.sub("", subject)).strip()
        if stripped == subject:
            break
        subject = stripped
    tag = "[%s]" % ticket_reference if ticket_reference else ""
    return " ".join(part for part in ("Re:", subject, tag) if part)


# What a display name must not contain to be used in a greeting: markup, addresses, RFC 822 comments,
# encoded words, quotes, brackets, URLs, replacement characters or control characters.
_NAME_JUNK = re.compile(r"[<>@(){}\[\]\\|=;:\"/*#$%^~`_+]|\?=|=\?|https?|www\.|\ufffd|[\x00-\x1f\x7f]")
_NOT_A_PERSON = re.compile(
    r"^(?:support|customer|user|admin|administrator|info|noreply|no-reply|team|service|mailer|postmaster|"
    r"unknown|undisclosed|recipients?|客服|用户|管理员|未知)\b", re.I)


def greeting_name(display_name: str) -> str:
    """The customer's display name when it is plainly a name, else "" (no name beats a wrong one)."""
    name = " ".join((display_name or "").replace("\u3000", " ").split()).strip(" '.,-")
    if not name or len(name) > 40 or _NAME_JUNK.search(name) or _NOT_A_PERSON.match(name):
        return ""
    if len(name.split()) > 4 or not any(ch.isalpha() for ch in name):
        return ""
    if any(ch.isdigit() for ch in name):
        return ""
    return name


def _base_values(facts: TicketFacts, lang: str) -> dict[str, str]:
    return greeting_values(facts.customer_name, lang)


def greeting_values(display_name: str, lang: str) -> dict[str, str]:
    """The greeting placeholders of every template ({greeting}, {customer_name}) for a customer."""
    name = greeting_name(display_name)
    if lang == "zh":
        greeting = "%s，您好！" % name if name else "您好！"
    else:
        greeting = "Hi %s," % name if name else "Hello,"
    return {"greeting": greeting, "customer_name": name}


class _Blank(dict):
    """format_map-style mapping where a missing key renders as ""."""

    def __missing__(self, key: str) -> str:
        return ""


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_EMPTY_BRACKETS = re.compile(r"\s*(?:\[\s*\]|\(\s*\)|（\s*）|【\s*】)")


def render_text(text: str, values: Mapping[str, object]) -> str:
    """Fill `{name}` placeholders; unknown names give "", stray braces stay as typed; never raises."""
    safe = _Blank({k: "" if v is None else str(v) for k, v in values.items()})
    out = _PLACEHOLDER.sub(lambda m: safe[m.group(1)], text or "")
    out = _EMPTY_BRACKETS.sub("", out)
    return re.sub(r"[ \t]{2,}", " ", out).strip()


def render(template: ReplyTemplate, values: Mapping[str, object], score: float = 0.0) -> RenderedReply:
    """One template filled in with the given values."""
    return RenderedReply(template.code, template.language, render_text(template.subject, values),
                         render_text(template.body, values), round(score, 3))


def _candidates(facts: TicketFacts, score: CategoryScore, lang: str) -> list[tuple[str, float, dict[str, str]]]:
    """(variant, factor, values) for one category: attachment defects first, then phrases, then generic."""
    out: list[tuple[str, float, dict[str, str]]] = []
    seen: set[str] = set()
    code = score.code
    if code in (codes.DOCUMENT_REQUIREMENTS, codes.FACE_RECOGNITION_FAILED):
        kind, table = (codes.SELFIE, FACE_VARIANTS) if code == codes.FACE_RECOGNITION_FAILED else (codes.ID_DOCUMENT, DOC_VARIANTS)
        atts: list[AttachmentFacts] = [a for a in facts.attachments if a.kind == kind]
        for defect, variant in table.items():
            for att in atts:
                if defect in att.defects and variant not in seen:
                    seen.add(variant)
                    values = {"attachment": att.filename, "attachment_ref": att.filename,
                              "problem": _problem(defect, att.kind, att.defect_details, lang)}
                    expiry = (att.defect_details.get(codes.EXPIRED_DOCUMENT) or {}).get("expiry", "")
                    if defect == codes.EXPIRED_DOCUMENT and expiry:
                        values["expiry"] = str(expiry)
                        values["expiry_note"] = "（有效期至 %s）" % expiry if lang == "zh" else " (it was valid until %s)" % expiry
                    out.append((variant, ATTACHMENT_MATCH, values))
        for signal in collect_signals(facts):
            variant = RULE_VARIANTS.get(signal.key)
            if signal.code == code and variant and variant not in seen:
                seen.add(variant)
                ref = "您上传的照片" if lang == "zh" else "the photo you sent"
                out.append((variant, TEXT_MATCH, {"attachment_ref": ref, "problem": _variant_problem(variant, code, lang)}))
    out.append(("generic", GENERIC, {}))
    return out


def _error_values(facts: TicketFacts, code: str, lang: str) -> dict[str, str]:
    found = error_line_for(facts, code)
    if not found:
        return {}
    attachment, line = found
    if lang == "zh":
        note = "您截图中的提示是“%s”。" % line
    else:
        note = ' Your screenshot shows the message "%s".' % line
    return {"error_message": line, "error_note": note, "attachment": attachment}


def suggest(
    facts: TicketFacts,
    scores: list[CategoryScore],
    language: str,
    templates: Iterable[ReplyTemplate] = DEFAULT_TEMPLATES,
    limit: int = 3,
    ticket_reference: str = "",
) -> list[RenderedReply]:
    """Replies for the most confident categories first; within a category the variant naming the defect found."""
    lang = language or facts.language or "en"
    index: dict[tuple[str, str], ReplyTemplate] = {}
    for t in templates:
        index.setdefault((t.code, t.language), t)

    def pick(code: str) -> ReplyTemplate | None:
        return index.get((code, lang)) or index.get((code, "en"))

    ranked = list(scores) or [CategoryScore(codes.OTHER, 1.0, ())]
    first_pass: list[RenderedReply] = []
    second_pass: list[RenderedReply] = []
    base = _base_values(facts, lang)
    base["ticket_reference"] = ticket_reference
    for score in ranked:
        produced = 0
        for variant, factor, values in _candidates(facts, score, lang):
            template = pick("%s.%s" % (score.code, variant))
            if template is None:
                continue
            reply = render(template, {**base, **_error_values(facts, score.code, lang), **values}, score.confidence * factor)
            if ticket_reference:  # a reply to this ticket threads under the customer's own subject
                reply = RenderedReply(reply.template, reply.language, thread_subject(facts.subject, ticket_reference),
                                      reply.body, reply.score)
            (first_pass if produced == 0 else second_pass).append(reply)
            produced += 1
            if variant == "generic" or produced >= 2:
                break
    replies = first_pass + sorted(second_pass, key=lambda r: -r.score)
    return replies[: max(0, limit)]
