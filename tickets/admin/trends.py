"""The trends page: a custom admin view with a server-rendered SVG chart (no CDN, no JavaScript)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..taxonomy import Category
from ..trends import trends_for_admin
from .display import CATEGORY_COLOURS

WIDTH, HEIGHT, PAD = 900, 260, 30


def _chart(trends) -> str:
    days = len(trends.days)
    peak = max([max(v) for v in trends.per_category.values()] + [1])
    step = (WIDTH - 2 * PAD) / max(days - 1, 1)

    def point(i, value):
        return "%.1f,%.1f" % (PAD + i * step, HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / peak)

    lines = []
    labels = dict(Category.choices)
    for code, counts in trends.per_category.items():
        if not any(counts):
            continue
        lines.append(format_html(
            '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"><title>{}</title></polyline>',
            CATEGORY_COLOURS.get(code, "#555"), " ".join(point(i, v) for i, v in enumerate(counts)),
            labels[code]))
    grid = format_html_join("", '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#eee"/>'
                                '<text x="4" y="{}" font-size="11" fill="#666">{}</text>',
                            ((PAD, y, WIDTH - PAD, y, y + 4, label) for y, label in (
                                (HEIGHT - PAD - (HEIGHT - 2 * PAD) * f, round(peak * f)) for f in (0, 0.5, 1))))
    axis = format_html(
        '{}<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>'
        '<text x="{}" y="{}" font-size="11">{}</text><text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
        grid, PAD, HEIGHT - PAD, WIDTH - PAD, HEIGHT - PAD, PAD, HEIGHT - 8, trends.days[0].isoformat(),
        WIDTH - PAD, HEIGHT - 8, trends.days[-1].isoformat())
    legend = format_html_join(
        "", '<span class="kyc-chip" style="background:{}">{}</span> ',
        ((CATEGORY_COLOURS.get(code, "#555"), labels[code]) for code, counts in trends.per_category.items()
         if any(counts)))
    svg = format_html('<svg class="kyc-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
                      'aria-label="{}">{}{}</svg>', WIDTH, HEIGHT, WIDTH, HEIGHT,
                      _("Tickets per category per day"), axis, mark_safe("".join(lines)))
    return format_html("{}<div>{}</div>", svg, legend)


def trends_view(request):
    if not request.user.has_perm("tickets.view_ticket"):
        raise PermissionDenied
    trends = trends_for_admin()
    context = {
        **admin.site.each_context(request),
        "title": _("Trends"),
        "trends": trends,
        "chart": _chart(trends),
    }
    return TemplateResponse(request, "admin/tickets/trends.html", context)
