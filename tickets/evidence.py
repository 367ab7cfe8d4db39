"""Evidence as the agent reads it: each stored record rendered in the interface language.

Triage stores evidence as records (tickets/triage/evidence.py: source, attachment, line, phrase, value,
metrics); the export renders them in English and this module renders the same records through gettext.
Nothing is parsed back out of sentences. A plain string (stored before records existed) is shown as it is.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _, gettext_lazy

from .taxonomy import Defect

REGIONS = {
    "top-left": gettext_lazy("top-left corner"), "top": gettext_lazy("top edge"),
    "top-right": gettext_lazy("top-right corner"), "left": gettext_lazy("left edge"),
    "center": gettext_lazy("centre"), "centre": gettext_lazy("centre"), "right": gettext_lazy("right edge"),
    "bottom-left": gettext_lazy("bottom-left corner"), "bottom": gettext_lazy("bottom edge"),
    "bottom-right": gettext_lazy("bottom-right corner"),
}


def _defect_text(code: str, metrics: Mapping) -> str:
    """A defect with its measured numbers, in the active language."""
    if code == Defect.GLARE and "ratio" in metrics:
        text = _("glare over %(percent)s%% of the image") % {"percent": round(float(metrics["ratio"]) * 100)}
    elif code == Defect.BLURRY and "sharpness" in metrics:
        text = _("blurry (sharpness %(value)s)") % {"value": "%.1f" % float(metrics["sharpness"])}
    elif code == Defect.TOO_DARK and "brightness" in metrics:
        text = _("too dark (mean brightness %(value)s)") % {"value": "%.0f" % float(metrics["brightness"])}
    elif code == Defect.LOW_RESOLUTION and "width" in metrics and "height" in metrics:
        text = _("low resolution (%(width)s×%(height)s px)") % {"width": metrics["width"], "height": metrics["height"]}
    elif code == Defect.EXPIRED_DOCUMENT and metrics.get("expiry"):
        text = _("expired document (valid until %(date)s)") % {"date": metrics["expiry"]}
    elif code == Defect.MULTIPLE_FACES and "faces" in metrics:
        text = _("%(count)s faces") % {"count": metrics["faces"]}
    else:
        text = str(dict(Defect.choices).get(code, code))
    region = REGIONS.get(str(metrics.get("region", "")))
    return _("%(defect)s, %(where)s") % {"defect": text, "where": region} if region else text


EDGES = {"top": gettext_lazy("top"), "bottom": gettext_lazy("bottom"), "left": gettext_lazy("left"),
         "right": gettext_lazy("right")}


def defect_in_words(code: str, details: Mapping | None) -> str:
    """One attachment defect as an agent reads it: what is wrong with the photo, no metric names or codes."""
    details = details or {}
    try:
        if code == Defect.GLARE and "ratio" in details:
            text = _("Glare covers %(percent)s%% of the photo") % {"percent": max(1, round(float(details["ratio"]) * 100))}
            region = REGIONS.get(str(details.get("region", "")))
            return _("%(defect)s, %(where)s") % {"defect": text, "where": region} if region else text
        if code == Defect.BLURRY:
            return _("Blurry: the photo is out of focus or moved while it was taken")
        if code == Defect.TOO_DARK:
            return _("Too dark to read")
        if code == Defect.LOW_RESOLUTION and details.get("short_side") and details.get("minimum"):
            return _("Too small: %(size)s px on its short side, %(minimum)s px needed") % {
                "size": details["short_side"], "minimum": details["minimum"]}
        if code == Defect.CROPPED and details.get("edges"):
            edges = [str(EDGES.get(str(edge), edge)) for edge in details["edges"]]
            return _("Cut off at the %(edges)s") % {"edges": _(", ").join(edges)}
        if code == Defect.NO_FACE:
            return _("No face found in the selfie")
        if code == Defect.MULTIPLE_FACES and details.get("faces"):
            return _("%(count)s faces in the selfie: only the customer's may show") % {"count": details["faces"]}
        if code == Defect.EXPIRED_DOCUMENT and details.get("expiry"):
            return _("The document expired on %(date)s") % {"date": details["expiry"]}
    except (TypeError, ValueError):  # details written by an older analyser: the defect's name is still right
        pass
    return str(dict(Defect.choices).get(code, code))


def evidence_for_display(record) -> str:
    """One evidence record (or a legacy string) in the active language."""
    from .triage import evidence as ev  # the triage package pulls numpy in: not at admin start
    item = ev.from_record(record)
    if isinstance(item, str):
        return item
    metrics = dict(item.metrics)
    if item.source in (ev.SUBJECT, ev.BODY):
        where = _("customer wrote") if item.source == ev.BODY else _("subject")
        return _("%(where)s: “%(text)s”") % {"where": where, "text": item.phrase}
    if item.source == ev.OCR_LINE:
        return _("screenshot %(file)s, line %(number)s: “%(text)s”") % {
            "file": item.attachment, "number": item.line, "text": item.phrase}
    if item.source in (ev.DEFECT, ev.METRIC):
        finding = _defect_text(item.value, metrics) if item.source == ev.DEFECT else ev.english(item)
        return _("attachment %(file)s: %(finding)s") % {"file": item.attachment, "finding": finding}
    if item.source in (ev.MODEL, ev.BASE_MODEL):
        values = {"version": item.value, "probability": "%.2f" % float(metrics.get("p", 0.0))}
        if item.source == ev.BASE_MODEL:
            text = _("shipped base model, fitted on the project's labelled tickets (model %(version)s): "
                     "%(probability)s") % values
        else:
            text = _("learned from agents' corrections (model %(version)s): %(probability)s") % values
        if "gate" in metrics:
            text = _("%(model)s — decided by this model: the rules found no cause (it earned the decision from "
                     "%(gate)s)") % {"model": text, "gate": "%.2f" % float(metrics["gate"])}
        return text
    if item.source == ev.DECISION:
        return _("no cause reached %(threshold)s (best %(best)s)") % {
            "threshold": "%.2f" % float(metrics.get("threshold", 0)), "best": "%.2f" % float(metrics.get("best", 0))}
    return ev.english(item)
