"""The reply screen: an agent picks a suggested reply, edits it and sends it to the customer."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from ..models import OutboundMail, SuggestedReply, Ticket
from ..services.replies import ReplyNotSent, reply_send, reply_subject


class ReplyForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("subject"), max_length=500)
    body = forms.CharField(label=gettext_lazy("message"), widget=forms.Textarea(attrs={"rows": 16, "cols": 90}))


def reply_delivery_notice(request, message) -> None:
    """Tell the agent what became of a reply: sent, waiting in the outbox, or refused (still in the thread)."""
    outbound = OutboundMail.objects.filter(message=message).first()
    address = message.to_addresses
    if outbound is not None and outbound.state == OutboundMail.State.FAILED:
        messages.error(request, _("The reply to %(address)s was not sent: %(reason)s")
                       % {"address": address, "reason": outbound.error})
    elif outbound is not None and outbound.state == OutboundMail.State.PENDING:
        messages.success(request, _("The reply to %(address)s is in the outbox and is sent in the background.")
                         % {"address": address})
    else:
        messages.success(request, _("Reply sent to %(address)s.") % {"address": address})


def ticket_reply_view(model_admin, request, object_id):
    """GET shows the editor (pre-filled from ?suggestion=ID); POST sends the reply over SMTP."""
    if not str(object_id).isdigit():
        raise Http404(_("No ticket %(id)s.") % {"id": object_id})
    ticket = get_object_or_404(Ticket, pk=object_id)
    if not model_admin.has_change_permission(request, ticket):
        raise PermissionDenied
    suggestions = list(ticket.suggested_replies.order_by("rank"))
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                message = reply_send(ticket, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                                     user=request.user)
            except ReplyNotSent as exc:
                messages.error(request, _("The reply was not sent: %(reason)s") % {"reason": exc})
            else:
                reply_delivery_notice(request, message)
                return redirect(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    else:
        chosen: SuggestedReply | None = None
        wanted = request.GET.get("suggestion")
        if wanted and wanted.isdigit():
            chosen = next((s for s in suggestions if s.pk == int(wanted)), None)
        chosen = chosen or (suggestions[0] if suggestions else None)
        form = ReplyForm(initial={
            "subject": reply_subject(ticket, chosen.subject if chosen else ticket.subject),
            "body": chosen.body if chosen else "",
        })
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Reply to %(reference)s") % {"reference": ticket.reference},
        "ticket": ticket,
        "form": form,
        "suggestions": suggestions,
    }
    return TemplateResponse(request, "admin/tickets/ticket/reply.html", context)
