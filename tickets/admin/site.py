"""Admin site settings for the desk: a title of its own, the full width for the queue, agents land on the queue."""

from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("KYC triage desk")
admin.site.site_title = _("KYC triage desk")
admin.site.index_title = _("Support desk")
admin.site.enable_nav_sidebar = False

SECTIONS_PARAMETER = "sections"


def desk_index(request, extra_context=None):
    """The admin's home is the queue for whoever can see tickets; ?sections=1 shows every section instead.

    Routed at /admin/ ahead of the admin's own URLs (kyctriage/urls.py), so the login page, the breadcrumbs'
    "Home" and the site name all land on the queue.
    """
    if SECTIONS_PARAMETER not in request.GET and request.user.has_perm("tickets.view_ticket"):
        return redirect("admin:tickets_ticket_changelist")
    return admin.site.index(request, extra_context)


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
