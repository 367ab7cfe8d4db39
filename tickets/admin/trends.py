"""The trends page: a custom admin view with a server-rendered SVG chart (no CDN, no JavaScript).

Every element leads to the queue it counts: a line, a day's point, a legend chip, a defect row and an error line
each link to the ticket list filtered the same way (category or defect, and the days), so a spike is one click
from the tickets behind it.
"""

import math
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..taxonomy import Category
from ..trends import trends_for_admin
from .display import CATEGORY_COLOURS

WIDTH, HEIGHT, PAD = 900, 260, 30
MAX_TICKS = 5


def axis_ticks(peak: int) -> list[int]:
    """Whole-number ticks from 0 up to at least `peak`, at most MAX_TICKS + 1 of them, on a 1-2-5 step."""
    peak = max(1, math.ceil(peak))
    step = 1
    for magnitude in (10 ** e for e in range(0, 10)):
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(peak / step) <= MAX_TICKS:
                return list(range(0, step * math.ceil(peak / step) + 1, step))
    return [0, peak]  # pragma: no cover - more tickets a day than anyone will see


def queue_url(*, first_day=None, last_day=None, **filters) -> str:
    """The ticket list with the queue's own filters: category/defect/q, and received_at from one day to another."""
    params = {k: v for k, v in filters.items() if v}
    if first_day is not None:
        params["received_at__gte"] = _day_start(first_day)
    if last_day is not None:
        params["received_at__lt"] = _day_start(last_day + timedelta(days=1))
    return "%s?%s" % (reverse("admin:tickets_ticket_changelist"), urlencode(params))


def _day_start(day) -> str:
    """Midnight of `day` in the desk's time zone, as the date filter reads it (aware, so no naive-time warning)."""
    return timezone.make_aware(datetime.combine(day, time.min)).isoformat()


def _chart(trends) -> str:
    days = len(trends.days)
    first, last = trends.days[0], trends.days[-1]
    ticks = axis_ticks(max([max(v) for v in trends.per_category.values()] + [1]))
    top = ticks[-1]
    step = (WIDTH - 2 * PAD) / max(days - 1, 1)

    def xy(i, value) -> tuple[str, str]:
        return "%.1f" % (PAD + i * step), "%.1f" % (HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top)

    lines = []
    labels = dict(Category.choices)
    for code, counts in trends.per_category.items():
        if not any(counts):
            continue
        colour = CATEGORY_COLOURS.get(code, "#555")
        whole = format_html(
            '<a href="{}"><polyline fill="none" stroke="{}" stroke-width="2" points="{}"><title>{}</title>'
            '</polyline></a>', queue_url(category=code, first_day=first, last_day=last), colour,
            " ".join("%s,%s" % xy(i, v) for i, v in enumerate(counts)), labels[code])
        points = format_html_join(
            "", '<a href="{}"><circle cx="{}" cy="{}" r="4" fill="{}"><title>{}</title></circle></a>',
            ((queue_url(category=code, first_day=day, last_day=day), *xy(i, n), colour,
              _("%(category)s, %(day)s: %(count)d tickets") % {"category": labels[code], "day": day.isoformat(),
                                                                 "count": n})
             for i, (day, n) in enumerate(zip(trends.days, counts)) if n))
        lines.append(whole + points)
    grid = format_html_join("", '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#eee"/>'
                                '<text x="{}" y="{}" font-size="11" fill="#666" text-anchor="end">{}</text>',
                            ((PAD, xy(0, t)[1], WIDTH - PAD, xy(0, t)[1], PAD - 6, "%.1f" % (float(xy(0, t)[1]) + 4), t)
                             for t in ticks))
    axis = format_html(
        '{}<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>'
        '<text x="{}" y="{}" font-size="11">{}</text><text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
        grid, PAD, HEIGHT - PAD, WIDTH - PAD, HEIGHT - PAD, PAD, HEIGHT - 8, first.isoformat(),
        WIDTH - PAD, HEIGHT - 8, last.isoformat())
    legend = format_html_join(
        "", '<a class="kyc-chip" style="background:{}" href="{}">{}</a> ',
        ((CATEGORY_COLOURS.get(code, "#555"), queue_url(category=code, first_day=first, last_day=last),
          labels[code]) for code, counts in trends.per_category.items() if any(counts)))
    svg = format_html('<svg class="kyc-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
                      'aria-label="{}">{}{}</svg>', WIDTH, HEIGHT, WIDTH, HEIGHT,
                      _("Tickets per category per day"), axis, mark_safe("".join(lines)))
    return format_html("{}<div>{}</div>", svg, legend)


def trends_view(request):
    if not request.user.has_perm("tickets.view_ticket"):
        raise PermissionDenied
    trends = trends_for_admin()
    first, last = trends.days[0], trends.days[-1]
    week_start = max(first, last - timedelta(days=6))
    today = trends.days[-1]
    context = {
        **admin.site.each_context(request),
        "title": _("Trends"),
        "trends": trends,
        "chart": _chart(trends),
        "defect_rows": [(code, label, n, share, queue_url(defect=code, first_day=first, last_day=last))
                        for code, label, n, share in trends.defect_share],
        "error_rows": [(text, n, queue_url(q=text, first_day=week_start, last_day=last))
                       for text, n in trends.top_errors],
        "alert_rows": [(alert, queue_url(category=alert.code, first_day=today, last_day=today)
                        if alert.what == "category" else queue_url(q=alert.label, first_day=today, last_day=today))
                       for alert in trends.alerts],
    }
    return TemplateResponse(request, "admin/tickets/trends.html", context)
