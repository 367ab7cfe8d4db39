"""How the desk shows a ticket's facts: category chips, defect badges, confidence, due time, in one place.

Every screen (queue, ticket page, trends) imports from here and from nowhere else, so a colour or a wording
changes once, and screen modules never import each other.
"""

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext

from ..evidence import evidence_for_display

# White 11-px text on each of these: every one at least 4.5:1 (WCAG AA), checked in tests/admin/test_queue.py.
CATEGORY_COLOURS = {
    "identity_info_error": "#8e44ad", "document_requirements": "#c0392b", "face_recognition_failed": "#a84300",
    "face_document_mismatch": "#7d6608", "account_security_risk": "#1a5276", "upload_network_failure": "#117864",
    "review_pending": "#566573", "page_load_cache": "#2874a6", "device_unsupported": "#6c3483", "other": "#5f6a6a",
}
FALLBACK_COLOUR = "#555555"
CHIP_TEXT = "#ffffff"
# How close a due time must be before the queue warns (and what "Due soon" lists).
DUE_SOON_HOURS = 4


def category_colour(code: str) -> str:
    return CATEGORY_COLOURS.get(code, FALLBACK_COLOUR)


def confidence_label(confidence) -> str:
    """One format for confidence everywhere: a whole percentage ("94%"), or a dash when there is none."""
    if confidence is None:
        return "–"
    return "%d%%" % int(round(confidence * 100))


def category_chips(assignments) -> str:
    """A coloured chip per category, the confidence first: a narrow column cuts the label, never the number."""
    return format_html_join(
        " ", '<span class="kyc-chip kyc-cat-{}" style="background:{}" title="{}">{} {}</span>',
        ((a.code, category_colour(a.code),
          "\n".join([str(a.get_code_display()), *map(evidence_for_display, a.evidence or [])]),
          confidence_label(a.confidence), a.get_code_display()) for a in assignments),
    )


def defect_badges(defects) -> str:
    seen = {}
    for defect in defects:
        seen.setdefault(defect.code, defect)
    return format_html_join(" ", '<span class="kyc-badge kyc-defect-{}">{}</span>',
                            ((code, d.get_code_display()) for code, d in seen.items()))


def due_state(due_at, now=None) -> str:
    """"late" when past, "soon" within DUE_SOON_HOURS, "ok" otherwise; "" when nobody waits on us."""
    if due_at is None:
        return ""
    now = now or timezone.now()
    if due_at <= now:
        return "late"
    if (due_at - now).total_seconds() <= DUE_SOON_HOURS * 3600:
        return "soon"
    return "ok"


def due_label(due_at, now=None) -> str:
    """The due time as agents read it: "in 3 hours", "2 hours overdue", coloured by how close it is."""
    state = due_state(due_at, now)
    if not state:
        return "–"
    now = now or timezone.now()
    if state == "late":
        text = gettext("%(time)s overdue") % {"time": timesince(due_at, now, depth=1)}
    else:
        text = gettext("in %(time)s") % {"time": timeuntil(due_at, now, depth=1)}
    return format_html('<time class="kyc-due kyc-due-{}" datetime="{}" title="{}">{}</time>', state,
                       due_at.isoformat(), timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"), text)


def _relative_luminance(colour: str) -> float:
    red, green, blue = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21); AA asks 4.5 for text under 18 px."""
    lighter, darker = sorted((_relative_luminance(foreground), _relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
