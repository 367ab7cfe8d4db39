"""Canned reply templates, corrections, learned models and the access log."""

from django.contrib import admin
from django.utils.translation import gettext, gettext_lazy as _

from ..models import AccessLog, Correction, ReplyTemplate, TriageModel


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "language", "subject", "is_active", "updated_at")
    list_filter = ("language", "is_active")
    search_fields = ("code", "subject", "body")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "ticket", "code", "action", "user")
    list_filter = ("action", "code")
    list_select_related = ("ticket", "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TriageModel)
class TriageModelAdmin(admin.ModelAdmin):
    list_display = ("version", "examples", "is_active", "held_back", "new_version_scores", "compared_with", "trained_at")
    exclude = ("blob",)
    readonly_fields = ("version", "examples", "held_back", "new_version_scores", "compared_with", "metrics",
                       "trained_at")

    @staticmethod
    def _scores(row) -> str:
        if not row:
            return "—"
        return gettext("exact set %(exact).2f · macro-F1 %(macro).2f · first category %(first).2f") % {
            "exact": row["exact_match"], "macro": row["macro_f1"], "first": row["first_category_accuracy"]}

    @admin.display(description=_("held-back tickets"))
    def held_back(self, obj: TriageModel):
        return (obj.metrics or {}).get("held_back", "—")

    @admin.display(description=_("this version on them"))
    def new_version_scores(self, obj: TriageModel):
        return self._scores((obj.metrics or {}).get("candidate"))

    @admin.display(description=_("the version it had to beat"))
    def compared_with(self, obj: TriageModel):
        metrics = obj.metrics or {}
        if not metrics.get("incumbent"):
            return "—"
        return "%s: %s" % (metrics.get("incumbent_version", ""), self._scores(metrics["incumbent"]))


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "filename", "ticket", "detail", "ip")
    list_filter = ("action",)
    search_fields = ("username", "filename", "detail")
    list_select_related = ("ticket",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
