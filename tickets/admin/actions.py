"""One factory for the queue's workflow actions: call one service on the selection, say how many it changed."""

from django.contrib import admin, messages


def workflow_action(name: str, description, service, done):
    """An admin action named `name` that runs ``service(request, queryset) -> count`` and reports `done`.

    done: ``ngettext_lazy(singular, plural, "count")`` with a ``%(count)d`` placeholder.
    """

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        count = service(request, queryset)
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)

    action.__name__ = action.__qualname__ = name
    return action
