"""The composer's doorway: send a reply, then stay, close the ticket or go to the next one in the queue."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from ..evidence import evidence_for_display
from ..models import Message, OutboundMail, Ticket
from ..services.replies import ReplyConflict, ReplyNotSent, reply_send
from ..services.activity import user_label
from .ticket_page import _ticket_for_change, ticket_page_context

# the composer's three buttons: what happens to the ticket once the reply is stored
THEN_WORKFLOW = {"send": Ticket.Workflow.WAITING, "close": Ticket.Workflow.CLOSED, "next": Ticket.Workflow.WAITING}


class ReplyForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("subject"), max_length=500,
                              widget=forms.TextInput(attrs={"class": "kyc-wide"}))
    body = forms.CharField(label=gettext_lazy("message"), widget=forms.Textarea(attrs={"rows": 12, "cols": 90}))
    # the newest reply on the ticket when the composer was drawn: a newer one means someone answered meanwhile
    seen_outbound = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


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


def _after_sending(request, ticket: Ticket, then: str):
    from ..selectors import ticket_next_for_agent

    if then == "close":
        messages.success(request, _("%(reference)s is closed.") % {"reference": ticket.reference})
    if then == "next":
        following = ticket_next_for_agent(request.user, after=ticket.pk)
        if following is None:
            messages.info(request, _("No more open tickets in your queue."))
            return redirect(reverse("admin:tickets_ticket_changelist"))
        return redirect(reverse("admin:tickets_ticket_change", args=[following]))
    return redirect(reverse("admin:tickets_ticket_change", args=[ticket.pk]))


def ticket_reply_view(model_admin, request, object_id):
    """GET shows the composer (pre-filled from ?suggestion=ID); POST stores the reply and sends it after the commit.

    A reply someone else sent after the composer was drawn stops the send: the page shows that reply and the
    agent's text, and a second press sends (the form then carries the newer reply as seen).
    """
    ticket = _ticket_for_change(model_admin, request, object_id)
    conflict: Message | None = None
    if request.method == "POST":
        form = ReplyForm(request.POST)
        then = request.POST.get("then", "send")
        if then not in THEN_WORKFLOW:
            then = "send"
        if form.is_valid():
            try:
                message = reply_send(ticket, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                                     user=request.user, seen_outbound_id=form.cleaned_data["seen_outbound"],
                                     workflow=THEN_WORKFLOW[then])
            except ReplyConflict as exc:
                conflict = exc.newer
                data = request.POST.copy()
                data["seen_outbound"] = str(conflict.pk)
                form = ReplyForm(data)
            except ReplyNotSent as exc:
                messages.error(request, _("The reply was not sent: %(reason)s") % {"reason": exc})
            else:
                reply_delivery_notice(request, message)
                return _after_sending(request, ticket, then)
    else:
        form = None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Reply to %(reference)s") % {"reference": ticket.reference},
        "ticket": ticket,
        **ticket_page_context(request, ticket),
        "applied_categories": [
            {"code": c.code, "label": c.get_code_display(), "percent": int(round(c.confidence * 100)),
             "by_agent": c.source == c.Source.AGENT, "evidence": [evidence_for_display(e) for e in c.evidence or []]}
            for c in ticket.categories.filter(applied=True).order_by("-confidence")],
    }
    if conflict is not None:
        context["conflict"] = {"who": user_label(conflict.author) or _("the desk"), "at": conflict.sent_at,
                               "body": conflict.text_body}
    if form is None:
        wanted = request.GET.get("suggestion")
        chosen = next((s for s in context["suggestions"] if wanted and str(s["pk"]) == wanted), None)
        chosen = chosen or (context["suggestions"][0] if context["suggestions"] else None)
        form = ReplyForm(initial={"subject": chosen["subject"] if chosen else context["default_subject"],
                                  "body": chosen["body"] if chosen else "",
                                  "seen_outbound": context["seen_outbound"]})
    context["reply_form"] = form
    return TemplateResponse(request, "admin/tickets/ticket/reply.html", context)

