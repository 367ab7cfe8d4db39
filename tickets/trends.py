"""Reads for the trends page: tickets per category per day, defect shares, frequent OCR'd errors, alerts."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from .masking import mask_sensitive
from .models import Attachment, AttachmentDefect, CategoryAssignment
from .taxonomy import AttachmentKind, Category, Defect

# a spike: at least this many tickets today, and well above the usual day (mean + 3 standard deviations)
SPIKE_MIN_COUNT = 5
SPIKE_SIGMAS = 3.0


@dataclass
class Alert:
    what: str          # "category" | "error"
    label: str
    today: int
    usual: float


@dataclass
class Trends:
    days: list[date]
    per_category: dict[str, list[int]]
    defect_share: list[tuple[str, str, int, float]]
    top_errors: list[tuple[str, int]]
    alerts: list[Alert] = field(default_factory=list)


def _spike(today: int, history: list[int]) -> bool:
    mean = statistics.fmean(history) if history else 0.0
    spread = statistics.pstdev(history) if len(history) > 1 else 0.0
    return today >= SPIKE_MIN_COUNT and today > mean + SPIKE_SIGMAS * max(spread, 1.0)


def _normalise_line(text: str) -> str:
    """One spelling per message, with identity data masked: this page is for every agent."""
    return " ".join(mask_sensitive(text).split()).strip(" .,:;!。，：；！")


def trends_for_admin(*, days: int = 30, today: date | None = None) -> Trends:
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    day_list = [start + timedelta(days=i) for i in range(days)]
    index = {d: i for i, d in enumerate(day_list)}

    rows = (CategoryAssignment.objects.filter(applied=True, ticket__received_at__date__gte=start)
            .annotate(day=TruncDate("ticket__received_at")).values("day", "code").annotate(n=Count("id")))
    per_category: dict[str, list[int]] = {code: [0] * days for code in Category.values}
    for row in rows:
        if row["day"] in index and row["code"] in per_category:
            per_category[row["code"]][index[row["day"]]] += row["n"]

    analysed = Attachment.objects.filter(ticket__received_at__date__gte=start,
                                         analysis_status__in=["done", "skipped"]).count()
    labels = dict(Defect.choices)
    defect_counts = (AttachmentDefect.objects.filter(ticket__received_at__date__gte=start)
                     .values("code").annotate(n=Count("id")).order_by("-n"))
    defect_share = [(row["code"], labels.get(row["code"], row["code"]), row["n"],
                     row["n"] / analysed if analysed else 0.0) for row in defect_counts]

    week_start = today - timedelta(days=6)
    history_start = today - timedelta(days=14)
    errors_week: Counter[str] = Counter()
    errors_by_day: dict[str, Counter] = defaultdict(Counter)
    screenshots = (Attachment.objects.filter(kind=AttachmentKind.SCREENSHOT,
                                             ticket__received_at__date__gte=history_start)
                   .values_list("ocr_lines", "ticket__received_at").order_by("-id")[:20000])
    for lines, received in screenshots:
        day = timezone.localdate(received)
        for text in {_normalise_line(line.get("text", "")) for line in lines or []}:
            if len(text) < 4:
                continue
            if day >= week_start:
                errors_week[text] += 1
            errors_by_day[text][day] += 1

    alerts = []
    for code, counts in per_category.items():
        if _spike(counts[-1], counts[-15:-1]):
            alerts.append(Alert("category", str(dict(Category.choices)[code]), counts[-1],
                                statistics.fmean(counts[-15:-1])))
    for text, by_day in errors_by_day.items():
        history = [by_day.get(today - timedelta(days=i), 0) for i in range(1, 15)]
        if _spike(by_day.get(today, 0), history):
            alerts.append(Alert("error", text, by_day.get(today, 0), statistics.fmean(history)))
    return Trends(days=day_list, per_category=per_category, defect_share=defect_share,
                  top_errors=errors_week.most_common(10), alerts=alerts)
