"""The queue's filters: category, confidence band, defect, attachment kind, age."""

from django.conf import settings
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from ..models import Attachment, AttachmentDefect
from ..taxonomy import AttachmentKind, Category, Defect


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
            from django.db.models import Q

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
