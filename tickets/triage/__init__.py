"""Pure triage: ticket facts in, cause categories and reply suggestions out (no ORM, no I/O)."""

from .classify import classify
from .language import detect_language
from .learned import LearnedModel
from .replies import DEFAULT_TEMPLATES, RenderedReply, ReplyTemplate, suggest
from .rules import rule_scores
from .types import AttachmentFacts, CategoryScore, TicketFacts

__all__ = [
    "AttachmentFacts",
    "CategoryScore",
    "DEFAULT_TEMPLATES",
    "LearnedModel",
    "RenderedReply",
    "ReplyTemplate",
    "TicketFacts",
    "classify",
    "detect_language",
    "rule_scores",
    "suggest",
]
