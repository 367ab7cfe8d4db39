"""The ticket page as a conversation: the thread and the composer in the main column, a side panel beside it.

TicketAdmin.change_view hands over here: the form that guards the ticket's version, what the page shows
(one read per part, so the page stays fast at 100,000 tickets), internal notes and presence.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _, gettext_lazy

from ..evidence import defect_in_words, evidence_for_display
from ..masking import mask_text
from ..models import AttachmentDefect, Message, SuggestedReply, Ticket, TicketActivity
from ..services.activity import user_label
from ..selectors import ticket_customer_others
from ..services.tickets import TICKET_EDITABLE_FIELDS, StaleTicket, ticket_lock_current, ticket_update
from .display import due_label

# the pipeline's step codes (services/steps.py callers) as the agent reads them
STEP_NAMES = {"ingest": gettext_lazy("received and stored"), "analyse": gettext_lazy("image analysis"),
              "triage": gettext_lazy("triage"), "queue": gettext_lazy("queued for processing")}

# --- the form: a stale save is refused ---------------------------------------------------------------------


class TicketPageForm(forms.ModelForm):
    """The ticket's own fields plus the version the agent loaded; an older version than the stored one is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale_changes: list[dict] | None = None
        assignee = self.fields.get("assignee")
        if assignee is not None and hasattr(assignee.widget, "widget"):  # no add/edit/delete-user icons here
            assignee.widget = assignee.widget.widget
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("version")
        if self.instance.pk and expected is not None:
            try:  # the admin's change view runs in a transaction: the row stays locked until this save commits
                ticket_lock_current(self.instance.pk, expected)
            except StaleTicket as exc:
                self.stale_changes = activity_for_display(exc.changes)
                raise ValidationError(_("Someone else changed this ticket after you opened it, so your changes "
                                        "were not saved. Reload the page to see the ticket as it is now, then "
                                        "make your changes again."), code="stale")
        return cleaned


def ticket_page_save(request, obj: Ticket, form: TicketPageForm) -> None:
    """TicketAdmin.save_model: the agent's changes through the service, which checks the version again."""
    changes = {name: form.cleaned_data[name] for name in form.changed_data if name in TICKET_EDITABLE_FIELDS}
    current = ticket_update(obj.pk, expected_version=form.cleaned_data["version"], changes=changes,
                            user=request.user)
    obj.version = current.version


# --- what the page shows -----------------------------------------------------------------------------------

def _sanitised(html: str):
    from ..ingest.html import sanitize_html

    return mark_safe(sanitize_html(html))  # sanitised again on output: stored HTML is never trusted as is


def message_body_html(message: Message, *, sensitive: bool):
    """A message's body for the page: sanitised HTML, else its text; masked unless the agent may see more."""
    from ..services.masking import unmasked_message

    shown = unmasked_message(message) if sensitive else {
        "html_sanitized": message.html_sanitized, "text_body": mask_text(message.text_body)}
    if shown["html_sanitized"]:
        return format_html('<div class="kyc-html">{}</div>', _sanitised(shown["html_sanitized"]))
    return format_html('<pre class="kyc-text">{}</pre>', shown["text_body"])


def delivery_text(message: Message) -> str:
    """A reply's outbox state: sent, waiting, or not sent with the server's answer."""
    outbound = getattr(message, "outbound", None)
    if outbound is None:
        return ""
    if outbound.error and outbound.state != outbound.State.SENT:
        return "%s: %s" % (outbound.get_state_display(), outbound.error)
    return str(outbound.get_state_display())


def ticket_timeline(ticket: Ticket, *, sensitive: bool) -> list[dict]:
    """Customer messages, our replies (with the agent who sent them) and internal notes, in time order."""
    items = []
    for message in ticket.messages.select_related("outbound", "author").order_by("sent_at", "id"):
        outbound = message.direction == Message.Direction.OUTBOUND
        items.append({
            "kind": "out" if outbound else "in", "at": message.sent_at, "pk": message.pk,
            "who": (user_label(message.author) or _("the desk")) if outbound
            else (message.from_name or message.from_address),
            "address": message.to_addresses if outbound else message.from_address,
            "subject": message.subject, "date_header": message.date_header,
            "body": message_body_html(message, sensitive=sensitive),
            "delivery": delivery_text(message) if outbound else "",
            "failed": outbound and getattr(getattr(message, "outbound", None), "state", "") == "failed",
        })
    for note in ticket.notes.select_related("author"):
        items.append({"kind": "note", "at": note.created_at, "pk": note.pk, "who": user_label(note.author),
                      "body": format_html('<pre class="kyc-text">{}</pre>', note.body)})
    return sorted(items, key=lambda item: (item["at"], item["kind"] == "note", item["pk"]))


def activity_in_words(entry: TicketActivity) -> str:
    """One activity entry in the reader's language (the entry keeps codes and names, never sentences)."""
    from ..taxonomy import Category

    detail = entry.detail or {}
    who = entry.username or _("The system")
    workflows = dict(Ticket.Workflow.choices)
    if entry.kind == TicketActivity.Kind.STATUS:
        return _("%(who)s changed the status from “%(old)s” to “%(new)s”") % {
            "who": who, "old": workflows.get(detail.get("old"), detail.get("old")),
            "new": workflows.get(detail.get("new"), detail.get("new"))}
    if entry.kind == TicketActivity.Kind.ASSIGNMENT:
        if detail.get("new"):
            return _("%(who)s assigned the ticket to %(assignee)s") % {"who": who, "assignee": detail["new"]}
        return _("%(who)s removed the assignment (was %(assignee)s)") % {"who": who, "assignee": detail.get("old")}
    if entry.kind == TicketActivity.Kind.CATEGORY:
        label = dict(Category.choices).get(detail.get("code"), detail.get("code"))
        if detail.get("added"):
            return _("%(who)s added the category “%(category)s”") % {"who": who, "category": label}
        return _("%(who)s removed the category “%(category)s”") % {"who": who, "category": label}
    if entry.kind == TicketActivity.Kind.REPLY:
        return _("%(who)s sent a reply to the customer") % {"who": who}
    if entry.kind == TicketActivity.Kind.NOTE:
        return _("%(who)s wrote an internal note") % {"who": who}
    if entry.kind == TicketActivity.Kind.MERGE:
        if detail.get("into"):
            return _("%(who)s merged this ticket into %(reference)s") % {"who": who, "reference": detail["into"]}
        return _("%(who)s merged %(references)s into this ticket") % {
            "who": who, "references": ", ".join(detail.get("merged") or [])}
    if entry.kind == TicketActivity.Kind.CUSTOMER:
        names = {name: str(Ticket._meta.get_field(name).verbose_name) for name in TICKET_EDITABLE_FIELDS}
        return _("%(who)s edited %(fields)s") % {
            "who": who, "fields": ", ".join(names.get(name, name) for name in detail.get("fields") or [])}
    return "%s: %s" % (who, entry.get_kind_display())


def activity_for_display(entries) -> list[dict]:
    return [{"at": entry.at, "text": activity_in_words(entry)} for entry in entries]


def ticket_attachments(ticket: Ticket, *, sensitive: bool) -> list[dict]:
    """Each attachment with its preview, its kind and its defects in words (no metrics, no codes)."""
    from ..services.masking import unmasked_attachment

    rows = []
    for attachment in ticket.attachments.prefetch_related(
            Prefetch("defects", queryset=AttachmentDefect.objects.order_by("id"))).order_by("id"):
        ocr = ""
        if attachment.ocr_text:
            ocr = unmasked_attachment(attachment)["ocr_text"] if sensitive else mask_text(attachment.ocr_text)
        rows.append({
            "pk": attachment.pk, "filename": attachment.filename,
            "kind": attachment.get_kind_display() if attachment.kind else "",
            "preview_url": reverse("tickets:attachment_preview", args=[attachment.pk]) if attachment.preview else "",
            "original_url": reverse("tickets:attachment_original", args=[attachment.pk]) if attachment.file else "",
            "defects": [defect_in_words(d.code, d.details) for d in attachment.defects.all()],
            "status": attachment.get_analysis_status_display(), "done": attachment.analysis_status == "done",
            "error": attachment.analysis_error or attachment.skipped_reason, "ocr_text": ocr,
        })
    return rows


def composer_context(ticket: Ticket) -> dict:
    """What the composer needs: the suggestions, every template (searchable by name) and the newest reply seen."""
    from ..services.replies import reply_subject, ticket_last_outbound_id

    suggestions = list(SuggestedReply.objects.filter(ticket=ticket).order_by("rank"))
    templates = reply_templates_for(ticket)
    return {
        "suggestions": [{"pk": s.pk, "name": template_name(s.template_code), "subject": reply_subject(ticket, s.subject),
                         "body": s.body, "language": s.language} for s in suggestions],
        "templates_json": templates,
        "seen_outbound": ticket_last_outbound_id(ticket.pk),
        "default_subject": reply_subject(ticket, suggestions[0].subject if suggestions else ticket.subject),
    }


TEMPLATE_VARIANTS = {"generic": gettext_lazy("general answer"), "expired": gettext_lazy("expired document")}


def template_name(code: str) -> str:
    """A template code as a name an agent reads and searches: "ID document does not meet requirements · Glare"."""
    from ..taxonomy import Category, Defect

    category, _sep, variant = (code or "").partition(".")
    label = str(dict(Category.choices).get(category, category.replace("_", " ")))
    if not variant:
        return label
    variant_label = TEMPLATE_VARIANTS.get(variant) or dict(Defect.choices).get(variant) or variant.replace("_", " ")
    return "%s · %s" % (label, variant_label)


def reply_templates_for(ticket: Ticket) -> list[dict]:
    """Every active template, the ticket's language first, filled in with the customer's greeting."""
    from ..models import ReplyTemplate
    from ..services.replies import reply_subject
    from ..triage.replies import greeting_values, render_text
    from ..triage.reply_texts import DEFAULT_TEMPLATES

    rows = [(t.code, t.language, t.subject, t.body) for t in ReplyTemplate.objects.filter(is_active=True)]
    if not rows:
        rows = [(t.code, t.language, t.subject, t.body) for t in DEFAULT_TEMPLATES]
    language = (ticket.language or "en").split("-")[0]
    rows.sort(key=lambda row: (row[1] != language, row[0]))
    return [{"name": "%s (%s)" % (template_name(code), lang), "subject": reply_subject(ticket, render_text(subject, {})),
             "body": render_text(body, greeting_values(ticket.customer_name, lang))}
            for code, lang, subject, body in rows]


def ticket_page_context(request, ticket: Ticket) -> dict:
    """Everything the conversation page shows besides the form (the form and the category formset are Django's)."""
    from ..services.presence import PRESENCE_REFRESH_SECONDS, presence_others

    sensitive = request.user.has_perm("tickets.view_sensitive")
    timeline = ticket_timeline(ticket, sensitive=sensitive)
    inbound = [item for item in timeline if item["kind"] == "in"]
    return {
        "timeline": timeline,
        "last_inbound": inbound[-1] if inbound else None,
        "attachments": ticket_attachments(ticket, sensitive=sensitive),
        "customer_tickets": ticket_customer_others(ticket),
        "activity": activity_for_display(ticket.activity.order_by("-at", "-id")[:50]),
        "presence": presence_others(ticket.pk, request.user),
        "presence_url": reverse("admin:tickets_ticket_presence", args=[ticket.pk]),
        "presence_refresh_ms": PRESENCE_REFRESH_SECONDS * 1000,
        "note_url": reverse("admin:tickets_ticket_note", args=[ticket.pk]),
        "reply_url": reverse("admin:tickets_ticket_reply", args=[ticket.pk]),
        "due_at": ticket.due_at,
        "due_label": due_label(ticket.due_at),
        "steps": [{"at": step.created_at, "name": STEP_NAMES.get(step.step, step.step),
                   "file": step.attachment.filename if step.attachment else "", "status": step.get_status_display(),
                   "error": step.error, "ms": step.duration_ms}
                  for step in ticket.steps.select_related("attachment").order_by("created_at", "id")],
        **composer_context(ticket),
    }


def category_rows(inline_admin_formsets) -> list[dict]:
    """The category formset's forms with each assignment's label, percent and evidence in the agent's language."""
    rows = []
    for inline in inline_admin_formsets:
        for form in inline.formset.forms:
            instance = form.instance
            rows.append({
                "form": form,
                "label": instance.get_code_display() if instance.pk else "",
                "code": instance.code if instance.pk else "",
                "percent": int(round(instance.confidence * 100)) if instance.pk else None,
                "applied": instance.applied if instance.pk else True,
                "evidence": [evidence_for_display(e) for e in instance.evidence or []] if instance.pk else [],
            })
    return rows


# --- small views on the page: notes and presence -----------------------------------------------------------

def _ticket_for_change(model_admin, request, object_id) -> Ticket:
    if not str(object_id).isdigit():
        raise Http404(_("No ticket %(id)s.") % {"id": object_id})
    ticket = get_object_or_404(Ticket, pk=object_id)
    if not model_admin.has_change_permission(request, ticket):
        raise PermissionDenied
    return ticket


class NoteForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("internal note"), max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 3}))


def ticket_note_view(model_admin, request, object_id):
    """An internal note, kept in the thread and never mailed; back to the ticket."""
    from ..services.notes import note_add

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ticket = _ticket_for_change(model_admin, request, object_id)
    form = NoteForm(request.POST)
    if form.is_valid() and form.cleaned_data["body"].strip():
        note_add(ticket, body=form.cleaned_data["body"], user=request.user)
        messages.success(request, _("Internal note added (the customer does not see it)."))
    else:
        messages.error(request, _("The note was empty, so nothing was added."))
    return redirect(reverse("admin:tickets_ticket_change", args=[ticket.pk]) + "#kyc-thread-end")


def ticket_presence_view(model_admin, request, object_id):
    """POST: "I am viewing/replying" (refreshes the row); both return who else is on the ticket, as JSON."""
    from ..services.presence import presence_leave, presence_others, presence_touch

    ticket = _ticket_for_change(model_admin, request, object_id)
    if request.method == "POST":
        state = request.POST.get("state", "viewing")
        if state == "left":
            presence_leave(ticket.pk, request.user)
        else:
            presence_touch(ticket.pk, request.user, state)
    others = presence_others(ticket.pk, request.user)
    return JsonResponse({"others": [{"name": user_label(row.user), "state": row.state, "text": presence_text(row)}
                                    for row in others]})


def presence_text(row) -> str:
    if row.state == "replying":
        return _("%(name)s is replying") % {"name": user_label(row.user)}
    return _("%(name)s is viewing") % {"name": user_label(row.user)}


def ticket_page_urls(model_admin) -> list:
    site = model_admin.admin_site

    def note(request, object_id):
        return ticket_note_view(model_admin, request, object_id)

    def presence(request, object_id):
        return ticket_presence_view(model_admin, request, object_id)

    return [path("<path:object_id>/note/", site.admin_view(note), name="tickets_ticket_note"),
            path("<path:object_id>/presence/", site.admin_view(presence), name="tickets_ticket_presence")]


def ticket_change_context(model_admin, request, object_id, extra_context) -> dict:
    """TicketAdmin.change_view's extra context: the conversation page's parts, read once."""
    extra_context = dict(extra_context or {})
    if str(object_id).isdigit():
        ticket = Ticket.objects.filter(pk=object_id).first()
        if ticket is not None and model_admin.has_view_permission(request, ticket):
            from ..services.presence import presence_touch

            if request.method == "GET" and model_admin.has_change_permission(request, ticket):
                presence_touch(ticket.pk, request.user)
            extra_context.update(ticket_page_context(request, ticket))
            extra_context["note_form"] = NoteForm()
    return extra_context

