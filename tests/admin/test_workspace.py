"""The ticket page as a workspace: versions refuse stale saves, notes stay inside, the log says who did what,
replies are not sent twice, send and close / next, presence, and nothing raw reaches the agent."""

import re

import pytest

from tickets.models import AttachmentDefect, Message, Note, OutboundMail, Ticket, TicketActivity
from tickets.services.notes import note_add
from tickets.services.replies import reply_send
from tickets.services.tickets import tickets_assign, tickets_merge, tickets_set_workflow

from ..factories import make_ticket
from ..smtpserver import smtp_server  # noqa: F401

pytestmark = pytest.mark.django_db


def _change_url(ticket):
    return "/admin/tickets/ticket/%d/change/" % ticket.pk


def _reply_url(ticket):
    return "/admin/tickets/ticket/%d/reply/" % ticket.pk


def _page_form(ticket, **changes) -> dict:
    """What the ticket page's side form posts, as the browser would send it, with the version it was drawn at."""
    data = {"subject": ticket.subject, "customer_email": ticket.customer_email, "customer_name": ticket.customer_name,
            "language": ticket.language, "assignee": ticket.assignee_id or "", "workflow": ticket.workflow,
            "version": str(ticket.version), "categories-TOTAL_FORMS": "0", "categories-INITIAL_FORMS": "0",
            "categories-MIN_NUM_FORMS": "0", "categories-MAX_NUM_FORMS": "1000", "_continue": "1"}
    data.update(changes)
    return data


@pytest.fixture
def colleague(django_user_model):
    return django_user_model.objects.create_superuser("bo", "bo@example.com", "pw", first_name="Bo", last_name="Chen")


def test_a_stale_save_is_refused_and_says_what_changed(admin_client, admin_user, colleague):
    ticket = make_ticket()
    loaded = Ticket.objects.get(pk=ticket.pk)  # the agent opens the page at this version
    tickets_set_workflow(Ticket.objects.filter(pk=ticket.pk), Ticket.Workflow.CLOSED, user=colleague)
    tickets_assign(Ticket.objects.filter(pk=ticket.pk), colleague, by=colleague)

    response = admin_client.post(_change_url(ticket), _page_form(loaded, assignee=str(admin_user.pk)))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this ticket" in html
    assert "Bo Chen changed the status from “Open” to “Closed”" in html
    assert "Bo Chen assigned the ticket to Bo Chen" in html
    ticket.refresh_from_db()
    assert ticket.workflow == Ticket.Workflow.CLOSED and ticket.assignee == colleague  # nothing reopened or taken


def test_a_fresh_save_bumps_the_version_and_logs_each_change(admin_client, admin_user):
    ticket = make_ticket()
    version = ticket.version
    response = admin_client.post(_change_url(ticket), _page_form(ticket, workflow="closed",
                                                                 assignee=str(admin_user.pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket.refresh_from_db()
    assert ticket.workflow == "closed" and ticket.closed_at is not None and ticket.assignee == admin_user
    assert ticket.version == version + 1
    kinds = set(ticket.activity.values_list("kind", "username"))
    assert kinds == {("status", "admin"), ("assignment", "admin")}

    again = admin_client.post(_change_url(ticket), _page_form(Ticket.objects.get(pk=ticket.pk), workflow="open"))
    assert again.status_code == 302  # the page drawn after the save carries the new version


def test_the_service_refuses_a_stale_version_too():
    from tickets.services.tickets import StaleTicket, ticket_update

    ticket = make_ticket()
    ticket_update(ticket.pk, expected_version=ticket.version, changes={"workflow": "waiting"})
    with pytest.raises(StaleTicket) as refused:
        ticket_update(ticket.pk, expected_version=ticket.version, changes={"workflow": "open"})
    assert [entry.kind for entry in refused.value.changes] == ["status"]
    assert Ticket.objects.get(pk=ticket.pk).workflow == "waiting"


def test_an_internal_note_is_kept_in_the_thread_and_never_mailed(admin_client, smtp_server,  # noqa: F811
                                                                  django_capture_on_commit_callbacks):
    ticket = make_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/tickets/ticket/%d/note/" % ticket.pk,
                                     {"body": "Customer called: the passport is new, check the expiry."})
    assert response.status_code == 302
    assert smtp_server.messages == []
    assert not OutboundMail.objects.exists()
    assert not ticket.messages.filter(direction=Message.Direction.OUTBOUND).exists()
    note = Note.objects.get(ticket=ticket)
    html = admin_client.get(_change_url(ticket)).content.decode()
    assert "check the expiry" in html and "Internal note by admin" in html
    assert ticket.activity.filter(kind="note", detail__note=note.pk).exists()
    # and the export and triage never read notes: they are not messages
    from tickets.selectors import ticket_facts

    assert "expiry" not in ticket_facts(ticket).body


def test_the_activity_log_names_who_changed_what(admin_client, admin_user, colleague,
                                                 django_capture_on_commit_callbacks):
    from tickets.services.corrections import category_assignment_changed

    ticket, duplicate = make_ticket(), make_ticket()
    tickets_assign(Ticket.objects.filter(pk=ticket.pk), colleague, by=admin_user)
    category_assignment_changed(ticket, "review_pending", added=True, user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        reply_send(ticket, body="We are on it.", user=colleague)
    note_add(ticket, body="internal", user=colleague)
    note_add(duplicate, body="the duplicate's note", user=colleague)
    tickets_merge(ticket, [duplicate], user=admin_user)
    assert set(ticket.notes.values_list("body", flat=True)) == {"internal", "the duplicate's note"}

    html = admin_client.get(_change_url(ticket)).content.decode()
    for line in ("admin assigned the ticket to Bo Chen", "Bo Chen added the category “Waiting for the review result”",
                 "Bo Chen sent a reply to the customer", "Bo Chen wrote an internal note",
                 "Bo Chen changed the status from “Open” to “Waiting for customer”",
                 "admin merged %s into this ticket" % duplicate.reference):
        assert line in html, line
    assert TicketActivity.objects.filter(ticket=duplicate, kind="merge", detail__into=ticket.reference).exists()
    assert "Bo Chen replied" in html  # the reply in the thread names the agent who sent it


def test_send_and_close_sends_the_reply_and_closes_the_ticket(admin_client, smtp_server,  # noqa: F811
                                                              django_capture_on_commit_callbacks):
    ticket = make_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_reply_url(ticket), {"subject": "Re: KYC", "body": "Done, closing.",
                                                          "seen_outbound": "0", "then": "close"})
    assert response.status_code == 302 and response.url == _change_url(ticket)
    assert len(smtp_server.messages) == 1
    ticket.refresh_from_db()
    assert ticket.workflow == "closed" and ticket.closed_at is not None


def test_send_and_next_opens_the_oldest_open_ticket_of_the_agents_queue(admin_client, admin_user, colleague,
                                                                        smtp_server,  # noqa: F811
                                                                        django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    current = make_ticket(received_at=now - timedelta(hours=1))
    closed = make_ticket(received_at=now - timedelta(hours=9))  # older, but closed
    Ticket.objects.filter(pk=closed.pk).update(workflow="closed")
    theirs = make_ticket(received_at=now - timedelta(hours=8))
    Ticket.objects.filter(pk=theirs.pk).update(assignee=colleague)  # in a colleague's queue, not mine
    oldest_open = make_ticket(received_at=now - timedelta(hours=5))
    make_ticket(received_at=now - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_reply_url(current), {"subject": "Re", "body": "Hi", "seen_outbound": "0",
                                                           "then": "next"})
    assert response.status_code == 302 and response.url == _change_url(oldest_open)
    assert Ticket.objects.get(pk=current.pk).workflow == "waiting"
    assert len(smtp_server.messages) == 1


def test_a_reply_sent_meanwhile_stops_the_second_one_until_the_agent_confirms(
        admin_client, colleague, smtp_server, django_capture_on_commit_callbacks):  # noqa: F811
    ticket = make_ticket()
    page = admin_client.get(_change_url(ticket)).content.decode()
    seen = re.search(r'name="seen_outbound" value="(\d+)"', page).group(1)
    assert seen == "0"
    with django_capture_on_commit_callbacks(execute=True):
        reply_send(ticket, body="Bo's answer: please retake the photo.", user=colleague)  # another agent, first
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_reply_url(ticket), {"subject": "Re", "body": "My answer.",
                                                          "seen_outbound": seen, "then": "send"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bo Chen sent a reply to this customer" in html and "please retake the photo" in html
    assert "My answer." in html  # the agent's text is kept
    assert len(smtp_server.messages) == 1
    newer = re.search(r'name="seen_outbound" value="(\d+)"', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = admin_client.post(_reply_url(ticket), {"subject": "Re", "body": "My answer.",
                                                           "seen_outbound": newer, "then": "send"})
    assert confirmed.status_code == 302
    assert len(smtp_server.messages) == 2


def test_bulk_send_skips_tickets_answered_after_the_confirmation_page(admin_client, colleague,
                                                                       smtp_server,  # noqa: F811
                                                                       django_capture_on_commit_callbacks):
    answered, quiet = make_ticket(), make_ticket()
    for ticket in (answered, quiet):
        ticket.suggested_replies.create(template_code="other.generic", language="en", subject="Hi", body="Hello",
                                        rank=0)
    data = {"action": "send_suggested_reply", "_selected_action": [answered.pk, quiet.pk]}
    page = admin_client.post("/admin/tickets/ticket/", data).content.decode()
    seen = dict(re.findall(r'name="seen_outbound_(\d+)" value="(\d+)"', page))
    assert seen == {str(answered.pk): "0", str(quiet.pk): "0"}
    with django_capture_on_commit_callbacks(execute=True):
        reply_send(answered, body="Already answered by Bo.", user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/tickets/ticket/", {**data, "apply": "1", **{
            "seen_outbound_%s" % pk: value for pk, value in seen.items()}}, follow=True)
    assert len(smtp_server.messages) == 2  # Bo's, and the bulk reply to the quiet ticket only
    assert answered.messages.filter(direction="out").count() == 1
    assert quiet.messages.filter(direction="out").count() == 1
    assert "Skipped, someone replied to them meanwhile: %s" % answered.reference in response.content.decode()


def test_presence_shows_who_else_is_viewing_or_replying(client, admin_client, colleague):
    ticket = make_ticket()
    client.force_login(colleague)
    client.post("/admin/tickets/ticket/%d/presence/" % ticket.pk, {"state": "replying"})
    assert "Bo Chen is replying" in admin_client.get(_change_url(ticket)).content.decode()
    answer = client.post("/admin/tickets/ticket/%d/presence/" % ticket.pk, {"state": "viewing"}).json()
    assert answer["others"] == [{"name": "admin", "state": "viewing", "text": "admin is viewing"}]  # admin's GET
    client.post("/admin/tickets/ticket/%d/presence/" % ticket.pk, {"state": "left"})
    assert admin_client.get("/admin/tickets/ticket/%d/presence/" % ticket.pk).json() == {"others": []}


def test_the_side_panel_speaks_plainly(admin_client):
    ticket = make_ticket(categories=(("document_requirements", 0.94),), defects=("cropped",), ocr_text="x",
                         email="wang@example.cn")
    AttachmentDefect.objects.filter(ticket=ticket).update(details={"edges": ["top"], "document_area": 0.3222})
    other = make_ticket(subject="Earlier: upload failed", email="wang@example.cn")
    html = admin_client.get(_change_url(ticket)).content.decode()
    assert "94% sure" in html and "0.94" not in html
    assert "Cut off at the top" in html
    for raw in ("edges", "document_area", "['top']", "document_requirements.", "flatness="):
        assert raw not in html.replace('class="kyc-cat-document_requirements', ""), raw
    assert other.reference in html and "Earlier: upload failed" in html
    assert "<details class=\"kyc-card kyc-diagnostics\">" in html  # processing details folded away


def test_the_ticket_page_in_chinese_has_no_english_left_in_the_panel(admin_client):
    ticket = make_ticket(defects=("glare",), ocr_text="x")
    admin_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    html = admin_client.get(_change_url(ticket)).content.decode()
    for english in ("Suggested", "Send and next", "Send and close", "Customer", "Diagnostics", "Activity",
                    "Glare covers", "Internal note"):
        assert english not in html, english
    assert "发送并处理下一个" in html


def test_every_template_is_offered_by_name_in_the_composer_filled_in_for_the_customer(admin_client):
    import json

    ticket = make_ticket(language="zh")
    Ticket.objects.filter(pk=ticket.pk).update(customer_name="Wang Fang")
    html = admin_client.get(_change_url(ticket)).content.decode()
    templates = json.loads(re.search(r'<script id="kyc-templates" type="application/json">(.*?)</script>', html,
                                     re.S).group(1))
    assert len(templates) > 10
    assert templates[0]["name"].endswith("(zh)")  # the ticket's language first
    names = " ".join(t["name"] for t in templates)
    assert "ID document does not meet requirements · Glare (en)" in names  # labels, not codes
    assert all("{greeting}" not in t["body"] for t in templates)
    assert any(t["body"].startswith("Wang Fang，您好！") for t in templates)
    assert all(ticket.reference in t["subject"] for t in templates)


def test_a_colleague_who_may_only_view_sees_the_ticket_without_forms(client, django_user_model):
    from django.contrib.auth.models import Permission

    ticket = make_ticket(body="Where is my review?")
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_ticket"))
    client.force_login(viewer)
    html = client.get(_change_url(ticket)).content.decode()
    assert "Where is my review?" in html and "Open" in html
    assert 'id="kyc-composer"' not in html and 'name="_save"' not in html
