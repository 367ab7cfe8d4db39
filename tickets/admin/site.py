"""Admin site settings for the desk: a title of its own and the full width for the queue."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("KYC triage desk")
admin.site.site_title = _("KYC triage desk")
admin.site.index_title = _("Support desk")
admin.site.enable_nav_sidebar = False


def _guard_axes_actions() -> None:
    """django-axes' "clean up expired attempts" action asks for no permission: it needs delete permission here."""
    import axes.admin  # noqa: F401 - registers its admin now, so it can be replaced
    from axes.models import AccessAttempt

    if not admin.site.is_registered(AccessAttempt):
        return

    class GuardedAccessAttemptAdmin(axes.admin.AccessAttemptAdmin):
        @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
        def cleanup_expired_attempts(self, request, queryset):
            return super().cleanup_expired_attempts(request, queryset)

    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, GuardedAccessAttemptAdmin)


_guard_axes_actions()
