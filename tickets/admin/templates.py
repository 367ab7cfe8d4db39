"""Canned reply templates, corrections, learned models and the access log."""

from django.contrib import admin

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
    list_display = ("version", "examples", "is_active", "trained_at")
    exclude = ("blob",)
    readonly_fields = ("version", "examples", "metrics", "trained_at")


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
