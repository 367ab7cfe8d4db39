"""Tickets an agent creates by hand (phone, chat, walk-in): the same pipeline as email."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from ..services.ingest import ticket_create_by_agent
from ..storage import StorageUnavailable


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class AgentTicketForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("subject"), max_length=500)
    customer_email = forms.EmailField(label=gettext_lazy("customer email"))
    customer_name = forms.CharField(label=gettext_lazy("customer name"), max_length=200, required=False)
    body = forms.CharField(label=gettext_lazy("what the customer said"), widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(label=gettext_lazy("screenshots, ID photos, selfies"), required=False)


def ticket_add_view(model_admin, request):
    """The admin's 'Add ticket': stores the ticket and its files, then analysis and triage run as for email."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = AgentTicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = ticket_create_by_agent(subject=form.cleaned_data["subject"],
                                            customer_email=form.cleaned_data["customer_email"],
                                            customer_name=form.cleaned_data["customer_name"],
                                            body=form.cleaned_data["body"], files=form.cleaned_data["attachments"],
                                            author=request.user)
        except StorageUnavailable:  # nothing was saved (the transaction rolled back): the form is shown again
            form.add_error(None, _("The attachment store cannot be reached right now, so the ticket was not saved. "
                                   "Try again in a minute."))
        else:
            messages.success(request, _("Ticket %(reference)s created; its attachments are being analysed.")
                             % {"reference": ticket.reference})
            return redirect(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("New ticket"),
        "form": form,
    }
    return TemplateResponse(request, "admin/tickets/ticket/agent_add.html", context)
