"""The analysis package's public data shapes: limits in, findings out (plain dataclasses, JSON-friendly)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ANALYSER_VERSION = "9"  # bump when results would change; the caller skips re-analysis when equal


@dataclass(frozen=True)
class AnalysisLimits:
    """Safety and speed limits; checked from headers before any full decode."""

    max_file_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 60_000_000
    analysis_long_side: int = 1600
    pdf_max_pages: int = 2


@dataclass
class OcrLine:
    """One recognised text line; bbox is x, y, w, h in analysed-image pixels."""

    text: str
    confidence: float
    bbox: tuple[int, int, int, int]


@dataclass
class AnalysisResult:
    """Everything the analysis found about one attachment, with evidence for each defect."""

    sniffed_type: str = "application/octet-stream"
    kind: str = "other"
    defects: list[str] = field(default_factory=list)
    defect_details: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    ocr_text: str = ""
    ocr_lines: list[OcrLine] = field(default_factory=list)
    mrz: dict | None = None
    expiry_date: str | None = None
    preview_png: bytes | None = None
    # the preview agents see: identity data (MRZ, numbers, dates, portrait; a selfie's face) blurred
    preview_redacted_png: bytes | None = None
    timings: dict = field(default_factory=dict)
    error: str = ""

    def add_defect(self, code: str, **details: object) -> None:
        """Record one defect once, with the evidence that triggered it."""
        if code not in self.defects:
            self.defects.append(code)
        self.defect_details[code] = details

    def to_dict(self, *, with_preview: bool = False) -> dict:
        """JSON-serialisable form (the preview PNG is left out unless asked for)."""
        d = asdict(self)
        if not with_preview:
            d.pop("preview_png")
            d.pop("preview_redacted_png")
        return d
