"""Canned reply templates, corrections, learned models and the access log."""

from django.contrib import admin
from django.utils.translation import gettext, gettext_lazy as _

from ..models import AccessLog, Correction, ReplyTemplate, TriageModel
from ..taxonomy import Category


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
    list_display = ("version", "examples", "is_active", "held_back", "new_version_scores", "compared_with",
                    "decides_alone", "trained_at")
    exclude = ("blob",)
    readonly_fields = ("version", "examples", "held_back", "new_version_scores", "compared_with", "decides_alone",
                       "metrics", "trained_at")

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

    @staticmethod
    def _gates(gates) -> str:
        if not gates:
            return gettext("no category yet: evidence only")
        return ", ".join(gettext("%(category)s from p ≥ %(threshold).2f") % {
            "category": Category(code).label if code in Category.values else code, "threshold": threshold}
            for code, threshold in sorted(gates.items()))

    @admin.display(description=_("decides alone (earned by cross-validation)"))
    def decides_alone(self, obj: TriageModel):
        gates = (obj.metrics or {}).get("gates")
        if gates is None:
            return "—"
        return self._gates(gates)

    def changelist_view(self, request, extra_context=None):
        """Above the agents' versions: the shipped base model they take precedence over, and what it may decide."""
        from ..triage.base_model import default_base_model

        base = default_base_model()
        if base is not None:
            extra_context = {**(extra_context or {}), "subtitle": gettext(
                "Shipped base model %(version)s (%(fitted_on)s), used where the rules read nothing and the active "
                "version did not decide; decides alone: %(gates)s") % {
                "version": base.version, "fitted_on": base.fitted_on, "gates": self._gates(base.gates)}}
        return super().changelist_view(request, extra_context=extra_context)


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
