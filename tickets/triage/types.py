"""Plain, frozen facts about a ticket, so triage can run without the database."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AttachmentFacts:
    """What analysis found in one attachment (kind and defects use the contract's §2 codes)."""

    filename: str
    kind: str
    defects: tuple[str, ...] = ()
    defect_details: dict = field(default_factory=dict, hash=False, compare=False)
    ocr_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class TicketFacts:
    """The customer's own words (quotes and signatures already removed) plus attachment findings."""

    subject: str
    body: str
    attachments: tuple[AttachmentFacts, ...] = ()
    customer_name: str = ""
    language: str = ""
    # The body as sent, with the mail the customer quoted or forwarded: read only when their own words name no
    # cause, because then a forwarded notice ("Reason: the face could not be matched") is what they ask about.
    as_sent: str = ""


@dataclass(frozen=True)
class Evidence:
    """One reason for a category, as a record: built in triage/evidence.py, rendered where it is shown."""

    source: str  # subject | body | ocr_line | defect | metric | model | base_model | decision
    phrase: str = ""  # the customer's words or the OCR'd line, as written
    attachment: str = ""
    line: int = 0  # 1-based OCR line number
    value: str = ""  # defect code, model version, decision
    metrics: tuple[tuple[str, object], ...] = ()  # measured numbers, sorted by name

    def __str__(self) -> str:
        from .evidence import english

        return english(self)


@dataclass(frozen=True)
class CategoryScore:
    """One cause category with a confidence in [0, 1] and the evidence an agent can check."""

    code: str
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    first_seen: int = field(default=1 << 30, compare=False)  # where its first evidence is: ties go to the earlier


@dataclass(frozen=True)
class ReplyTemplate:
    """A reply text with `{name}` placeholders; code is "<category>.<variant>", e.g. "document_requirements.glare"."""

    code: str
    language: str
    subject: str
    body: str

    @property
    def category(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def variant(self) -> str:
        return self.code.split(".", 1)[1] if "." in self.code else "generic"


@dataclass(frozen=True)
class RenderedReply:
    """A template filled in for one ticket, with the score it was ranked by."""

    template: str
    language: str
    subject: str
    body: str
    score: float
