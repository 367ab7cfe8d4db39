"""Evidence as the agent reads it: the stored English evidence lines, rendered in the interface language.

Triage stores evidence as plain English lines (they are also exported). The shapes are few and fixed by
tickets/triage/rules.py and classify.py, so they are parsed here and rendered through gettext; a line
of any other shape is shown as it is.
"""

import re

from django.utils.translation import gettext as _, gettext_lazy

from .taxonomy import Defect

REGIONS = {
    "top-left": gettext_lazy("top-left corner"), "top": gettext_lazy("top edge"),
    "top-right": gettext_lazy("top-right corner"), "left": gettext_lazy("left edge"),
    "center": gettext_lazy("centre"), "centre": gettext_lazy("centre"), "right": gettext_lazy("right edge"),
    "bottom-left": gettext_lazy("bottom-left corner"), "bottom": gettext_lazy("bottom edge"),
    "bottom-right": gettext_lazy("bottom-right corner"),
}

_BODY = re.compile(r'^(body|subject): "(.*)"$', re.S)
_OCR = re.compile(r'^OCR line (\d+) of (.+?): "(.*)"$', re.S)
_ATTACHMENT = re.compile(r"^attachment (.+?): (.+)$", re.S)
_MODEL = re.compile(r"^learned model v(\S+): p=([\d.]+)$")
_NO_CAUSE = re.compile(r"^no cause reached ([\d.]+) \(best ([\d.]+)\)$")

_DEFECTS = [
    (re.compile(r"^glare (\d+)% of area$"), lambda m: _("glare over %(percent)s%% of the image")
     % {"percent": m.group(1)}),
    (re.compile(r"^blurry \(sharpness ([\d.]+)\)$"), lambda m: _("blurry (sharpness %(value)s)")
     % {"value": m.group(1)}),
    (re.compile(r"^too dark \(mean brightness ([\d.]+)\)$"), lambda m: _("too dark (mean brightness %(value)s)")
     % {"value": m.group(1)}),
    (re.compile(r"^low resolution \((\d+)x(\d+) px\)$"), lambda m: _("low resolution (%(width)s×%(height)s px)")
     % {"width": m.group(1), "height": m.group(2)}),
    (re.compile(r"^expired document \(expiry (.+)\)$"), lambda m: _("expired document (valid until %(date)s)")
     % {"date": m.group(1)}),
    (re.compile(r"^(\d+) faces$"), lambda m: _("%(count)s faces") % {"count": m.group(1)}),
]


def _defect_text(text: str) -> str:
    parts = [p.strip() for p in text.split(",")]
    region = REGIONS.get(parts[-1]) if len(parts) > 1 else None
    head = ", ".join(parts[:-1]) if region else text
    labels = dict(Defect.choices)
    rendered = str(labels[head]) if head in labels else None
    for pattern, render in _DEFECTS:
        match = pattern.match(head)
        if match:
            rendered = render(match)
            break
    if rendered is None:
        return text
    return _("%(defect)s, %(where)s") % {"defect": rendered, "where": region} if region else rendered


def evidence_for_display(line: str) -> str:
    """One evidence line in the active language."""
    match = _BODY.match(line)
    if match:
        where = _("customer wrote") if match.group(1) == "body" else _("subject")
        return _("%(where)s: “%(text)s”") % {"where": where, "text": match.group(2)}
    match = _OCR.match(line)
    if match:
        return _("screenshot %(file)s, line %(number)s: “%(text)s”") % {
            "file": match.group(2), "number": match.group(1), "text": match.group(3)}
    match = _ATTACHMENT.match(line)
    if match:
        return _("attachment %(file)s: %(finding)s") % {"file": match.group(1),
                                                         "finding": _defect_text(match.group(2))}
    match = _MODEL.match(line)
    if match:
        return _("learned from agents' corrections (model %(version)s): %(probability)s") % {
            "version": match.group(1), "probability": match.group(2)}
    match = _NO_CAUSE.match(line)
    if match:
        return _("no cause reached %(threshold)s (best %(best)s)") % {"threshold": match.group(1),
                                                                     "best": match.group(2)}
    return line
