"""Reads for the trends page: tickets per category per day, defect shares, frequent OCR'd errors, alerts."""

import re
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
    code: str = ""     # the category's code (what the queue filters on); "" for an error line


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


# What every phone screen shows besides the message: the status bar (clock, carrier, network, battery) and the
# buttons. A line made only of these is no error message, however often it is read.
_CLOCK = r"(?:上午|下午|凌晨|晚上)?\s*\d{1,2}[:：]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?"
_CARRIER = (r"中国移动|中國移動|中国联通|中國聯通|中国电信|中國電信|中国广电|China\s*Mobile|China\s*Unicom|"
            r"China\s*Telecom|CMCC|CUCC|CTCC|Unicom|Verizon|AT\s*&\s*T|T-?Mobile|Vodafone|Orange|EE|O2|"
            r"Sprint|Docomo|SoftBank|Chunghwa|中華電信|台灣大哥大|遠傳電信|CSL|SmarTone|3HK|No\s*Service|无服务|"
            r"SOS|Emergency\s*calls\s*only|仅限紧急呼叫")
_NETWORK = r"(?<![A-Za-z])(?:[2345]G\+?|LTE|VoLTE|HD|Wi-?Fi|WLAN|E|H\+?)(?![A-Za-z])"
_BATTERY = r"\d{1,3}\s*[%％]|电量|電量|Battery"
_STATUS_BAR = re.compile(r"(?:%s|%s|%s|%s|[\s.,:;|·•<>()\[\]‹›«»⟨⟩◀▶▲▼●○■□▮▯⌁⚡️📶🔋\-_=~'\"*^]+)+" % (
    _CLOCK, _CARRIER, _NETWORK, _BATTERY), re.I)
_BUTTONS = frozenset("""
ok okay 确定 确认 好 好的 知道了 我知道了 取消 重试 再试一次 重新上传 重新提交 重新认证 重新拍摄 重拍 返回 关闭 完成 提交
下一步 继续 上传 拍照 联系客服 在线客服 去设置 设置 帮助 跳过 同意 不同意 允许 拒绝 確定 確認 重試 取消 返回 關閉 聯繫客服
retry cancel back close done next continue submit upload again try again retake re-upload upload contact support
help settings skip agree allow deny got it dismiss view details learn more
""".split()) | {"try again", "upload again", "contact support", "got it", "view details", "learn more", "go back",
                "take photo", "take a photo", "retake photo"}


def is_screen_chrome(text: str) -> bool:
    """A status-bar reading ("9:41", "中国移动 4G 85%") or a button ("OK", "确定", "重试"), not a message."""
    words = text.strip().lower()
    if words in _BUTTONS:
        return True
    return bool(_STATUS_BAR.fullmatch(text.strip()))


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
            if len(text) < 4 or is_screen_chrome(text):
                continue
            if day >= week_start:
                errors_week[text] += 1
            errors_by_day[text][day] += 1

    alerts = []
    for code, counts in per_category.items():
        if _spike(counts[-1], counts[-15:-1]):
            alerts.append(Alert("category", str(dict(Category.choices)[code]), counts[-1],
                                statistics.fmean(counts[-15:-1]), code=code))
    for text, by_day in errors_by_day.items():
        history = [by_day.get(today - timedelta(days=i), 0) for i in range(1, 15)]
        if _spike(by_day.get(today, 0), history):
            alerts.append(Alert("error", text, by_day.get(today, 0), statistics.fmean(history)))
    return Trends(days=day_list, per_category=per_category, defect_share=defect_share,
                  top_errors=errors_week.most_common(10), alerts=alerts)
