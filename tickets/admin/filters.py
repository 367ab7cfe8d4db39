"""The queue's filters: saved views, category, confidence band, defect, attachment kind, language."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Attachment, AttachmentDefect, Ticket
from ..taxonomy import AttachmentKind, Category, Defect
from .display import DUE_SOON_HOURS


class CategoryFilter(admin.SimpleListFilter):
    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return Category.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(categories__code=self.value(), categories__applied=True)
        return queryset


class ConfidenceFilter(admin.SimpleListFilter):
    title = _("confidence")
    parameter_name = "confidence"
    BANDS = {"high": (0.85, None), "medium": (0.6, 0.85), "low": (None, 0.6)}

    def lookups(self, request, model_admin):
        return [("high", _("high (85% and more)")), ("medium", _("medium (60–85%)")),
                ("low", _("low or none: needs an agent"))]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        low, high = band
        if low is None:
            return queryset.filter(Q(top_confidence__lt=high) | Q(top_confidence__isnull=True))
        queryset = queryset.filter(top_confidence__gte=low)
        return queryset.filter(top_confidence__lt=high) if high is not None else queryset


class DefectFilter(admin.SimpleListFilter):
    title = _("defect")
    parameter_name = "defect"

    def lookups(self, request, model_admin):
        return Defect.choices

    def queryset(self, request, queryset):
        if self.value():  # a semi-join: a ticket with two glary photos is still one row
            return queryset.filter(Exists(AttachmentDefect.objects.filter(ticket=OuterRef("pk"), code=self.value())))
        return queryset


class AttachmentKindFilter(admin.SimpleListFilter):
    title = _("attachment kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return AttachmentKind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Exists(Attachment.objects.filter(ticket=OuterRef("pk"), kind=self.value())))
        return queryset


class LanguageFilter(admin.SimpleListFilter):
    """The languages we translate to, listed without scanning the tickets for distinct values."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code.split("-")[0], name) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(language=self.value())
        return queryset


class QueueViewFilter(admin.SimpleListFilter):
    """The saved views agents switch between with one click; without one the queue shows the open tickets.

    Shown as links above the list (change_list.html), not in the sidebar. A search without a chosen view looks
    through every ticket, so a reference or an address finds a closed ticket too.
    """

    title = _("view")
    parameter_name = "view"
    template = "admin/tickets/ticket/no_filter.html"
    DEFAULT = "open"

    def lookups(self, request, model_admin):
        return [("open", _("Open tickets")), ("mine", _("My open tickets")), ("unassigned", _("Unassigned")),
                ("needs_agent", _("Needs an agent (low confidence)")), ("due", _("Due soon or overdue")),
                ("all", _("All tickets"))]

    def __init__(self, request, params, model, model_admin):
        self._view = self.view_of(request)
        super().__init__(request, params, model, model_admin)

    @classmethod
    def view_of(cls, request) -> str:
        """The view asked for; without one, a search or a workflow filter of the agent's own sees every ticket."""
        if request.GET.get(cls.parameter_name):
            return request.GET[cls.parameter_name]
        if request.GET.get("q") or any(key.startswith("workflow") for key in request.GET):
            return "all"
        return cls.DEFAULT

    def value(self):
        return self._view

    def has_output(self):
        return True

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {"selected": self.value() == lookup, "display": title, "lookup": lookup,
                   "query_string": "?%s=%s" % (self.parameter_name, lookup)}

    def queryset(self, request, queryset):
        view = self.value()
        if view == "all" or view not in dict(self.lookup_choices):
            return queryset
        queryset = queryset.filter(workflow=Ticket.Workflow.OPEN)
        if view == "mine":
            return queryset.filter(assignee=request.user)
        if view == "unassigned":
            return queryset.filter(assignee__isnull=True)
        if view == "needs_agent":
            low = ConfidenceFilter.BANDS["low"][1]
            return queryset.filter(Q(top_confidence__lt=low) | Q(top_confidence__isnull=True))
        if view == "due":
            return queryset.filter(due_at__lte=timezone.now() + timedelta(hours=DUE_SOON_HOURS))
        return queryset
