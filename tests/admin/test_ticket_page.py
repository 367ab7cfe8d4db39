"""The ticket page: thread (sanitised), corrections stored for learning, replies, bulk actions, trends."""

import pytest

from tickets.models import CategoryAssignment, Correction, Ticket

from ..factories import make_ticket
from ..smtpserver import smtp_server  # noqa: F401

pytestmark = pytest.mark.django_db


def _change_url(ticket):
    return "/admin/tickets/ticket/%d/change/" % ticket.pk


def test_the_ticket_page_shows_the_thread_without_scripts(admin_client):
    ticket = make_ticket(html='<p>hello</p><script>alert(1)</script><img src="x" onerror="alert(2)">')
    html = admin_client.get(_change_url(ticket)).content.decode()
    assert "hello" in html
    assert "alert(1)" not in html
    assert "onerror" not in html


def test_deleting_and_adding_a_category_are_stored_as_corrections(admin_client):
    ticket = make_ticket(categories=(("document_requirements", 0.9),))
    assignment = ticket.categories.get()
    data = {
        "subject": ticket.subject, "customer_email": ticket.customer_email, "customer_name": "",
        "language": "en", "assignee": "", "workflow": "open", "version": str(ticket.version),
        "categories-TOTAL_FORMS": "2", "categories-INITIAL_FORMS": "1", "categories-MIN_NUM_FORMS": "0",
        "categories-MAX_NUM_FORMS": "1000",
        "categories-0-id": str(assignment.pk), "categories-0-ticket": str(ticket.pk),
        "categories-0-code": "document_requirements", "categories-0-applied": "on", "categories-0-DELETE": "on",
        "categories-1-id": "", "categories-1-ticket": str(ticket.pk), "categories-1-code": "review_pending",
        "categories-1-applied": "on",
    }
    for prefix in ("suggested_replies", "attachments", "messages", "steps"):
        data.update({prefix + "-TOTAL_FORMS": "0", prefix + "-INITIAL_FORMS": "0",
                     prefix + "-MIN_NUM_FORMS": "0", prefix + "-MAX_NUM_FORMS": "1000"})
    data["messages-TOTAL_FORMS"] = data["messages-INITIAL_FORMS"] = "0"
    response = admin_client.post(_change_url(ticket), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(ticket.categories.values_list("code", "source")) == {("review_pending", "agent")}
    assert set(Correction.objects.values_list("code", "action")) == {("document_requirements", "remove"),
                                                                     ("review_pending", "add")}


def test_an_agent_edits_a_suggested_reply_and_sends_it(admin_client, smtp_server, django_capture_on_commit_callbacks):
    ticket = make_ticket()
    ticket.suggested_replies.create(template_code="document_requirements.glare", language="en",
                                    subject="About your passport photo", body="Please retake it.", rank=0)
    page = admin_client.get("/admin/tickets/ticket/%d/reply/" % ticket.pk).content.decode()
    assert "Please retake it." in page
    with django_capture_on_commit_callbacks(execute=True):  # the reply leaves after the commit
        response = admin_client.post("/admin/tickets/ticket/%d/reply/" % ticket.pk,
                                     {"subject": "About your passport photo", "body": "Please retake it, edited."})
    assert response.status_code == 302
    _, rcpt, message = smtp_server.messages[0]
    assert rcpt == [ticket.customer_email]
    assert "edited" in message.get_content()
    assert ticket.reference in message["Subject"]


def test_bulk_send_asks_for_confirmation_first(admin_client, smtp_server, django_capture_on_commit_callbacks):
    ticket = make_ticket()
    ticket.suggested_replies.create(template_code="other.generic", language="en", subject="Hi", body="Hello",
                                    rank=0)
    data = {"action": "send_suggested_reply", "_selected_action": [ticket.pk]}
    page = admin_client.post("/admin/tickets/ticket/", data)
    assert page.status_code == 200 and not smtp_server.messages
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/tickets/ticket/", {**data, "apply": "1"})
    assert len(smtp_server.messages) == 1


def test_merging_moves_the_thread_into_the_oldest_ticket(admin_client):
    first, second = make_ticket(subject="one"), make_ticket(subject="two")
    data = {"action": "merge_tickets", "_selected_action": [first.pk, second.pk]}
    page = admin_client.post("/admin/tickets/ticket/", data)
    assert page.status_code == 200 and first.reference in page.content.decode()  # asks for confirmation first
    assert Ticket.objects.get(pk=second.pk).merged_into is None
    admin_client.post("/admin/tickets/ticket/", {**data, "apply": "1"})
    second.refresh_from_db()
    assert second.merged_into == first
    assert first.messages.count() == 2


def test_the_trends_page_shows_a_spike_alert(admin_client):
    for _ in range(8):
        make_ticket(categories=(("upload_network_failure", 0.9),), ocr_text="Network error, please retry")
    html = admin_client.get("/admin/tickets/ticket/trends/").content.decode()
    assert "<svg" in html
    assert "Spike" in html
    assert "Network error, please retry" in html


def test_the_interface_switches_to_chinese(admin_client):
    admin_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    html = admin_client.get("/admin/tickets/ticket/").content.decode()
    assert "工单" in html


def test_the_trends_page_masks_identity_numbers_for_agents(client, django_user_model):
    from django.contrib.auth.models import Group

    for _ in range(2):
        make_ticket(ocr_text="Passport No. E12345678 is invalid")
    agent = django_user_model.objects.create_user("agent", password="pw", is_staff=True)
    agent.groups.add(Group.objects.get(name="KYC agents"))
    client.force_login(agent)
    html = client.get("/admin/tickets/ticket/trends/").content.decode()
    assert "is invalid" in html and "E12345678" not in html


def test_the_chosen_language_follows_the_agent_to_another_browser(admin_client, admin_user, client):
    admin_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    client.force_login(admin_user)  # a fresh browser: no language cookie
    html = client.get("/admin/tickets/ticket/").content.decode()
    assert 'lang="zh-hans"' in html


def test_an_agent_creates_a_ticket_with_attachments_and_it_is_triaged(admin_client, django_capture_on_commit_callbacks,
                                                                       settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from demo.images import make_screenshot

    settings.KYCTRIAGE_MAX_ATTACHMENT_BYTES = 2_000_000
    screen = SimpleUploadedFile("screen.png", make_screenshot(["网络连接超时，请重试"], lang="zh", size=(540, 1170)),
                                content_type="image/png")
    huge = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"0" * 2_100_000, content_type="image/jpeg")
    assert admin_client.get("/admin/tickets/ticket/add/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/tickets/ticket/add/", {
            "subject": "电话客户：上传失败", "customer_email": "caller@example.cn", "customer_name": "李雷",
            "body": "客户来电说上传证件一直失败", "attachments": [screen, huge]})
    assert response.status_code == 302
    ticket = Ticket.objects.get(customer_email="caller@example.cn")
    assert ticket.source == "agent" and ticket.status == "triaged"
    assert ticket.categories.filter(code="upload_network_failure").exists()
    skipped = ticket.attachments.get(filename="huge.jpg")
    assert skipped.analysis_status == "skipped" and "file_too_large" in skipped.defect_codes


def test_a_reply_the_mail_server_refused_shows_why_in_the_thread(admin_client, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    ticket = make_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/tickets/ticket/%d/reply/" % ticket.pk, {"subject": "Hi", "body": "Hello"})
    html = admin_client.get(_change_url(ticket)).content.decode()
    assert "Not sent" in html and "could not be reached" in html
