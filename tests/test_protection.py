"""Issue 11, items 1-2: agents see redacted previews and masked identity data; supervisors see all, logged.

Each test fails without the protection it names (see the README's data-protection section).
"""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from tickets.models import AccessLog, Attachment, Message, Ticket

from .factories import build_email

PASSPORT_BODY = ("Hello, my verification failed again.\n"
                 "My passport number is E12345678 and my ID card 11010519900101123X.\n"
                 "Date of birth:\n15 JAN 1990\n"
                 "P<CHNZHANG<<WEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
                 "E123456784CHN9OO1012M31O5O16<<<<<<<<<<<<<< O6\n"  # an MRZ line as OCR misreads it
                 "Please help, error code 5003.\n")


def _user(django_user_model, name: str, group: str):
    user = django_user_model.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def agent(db, django_user_model):
    return _user(django_user_model, "agent", "KYC agents")


@pytest.fixture
def supervisor(db, django_user_model):
    return _user(django_user_model, "supervisor", "KYC supervisors")


@pytest.fixture
def passport_ticket(ingest):
    outcome = ingest(build_email(subject="KYC failed, passport E12345678", body=PASSPORT_BODY,
                                 message_id="<passport-1@example.com>"))
    return Ticket.objects.get(pk=outcome.ticket_id)


pytestmark = pytest.mark.django_db

SECRETS = ("E12345678", "11010519900101123X", "15 JAN 1990", "P<CHNZHANG", "9OO1012")


# --- item 2: masking when written --------------------------------------------------------------------------

def test_subject_and_bodies_are_masked_when_written_and_kept_unmasked_only_encrypted(passport_ticket):
    message = Message.objects.get(ticket=passport_ticket)
    stored = " ".join([passport_ticket.subject, message.subject, message.text_body, message.text_clean,
                       message.html_sanitized])
    for secret in SECRETS:
        assert secret not in stored, secret
    assert "error code 5003" in message.text_body and "passport number is" in message.text_body
    assert message.unmasked_encrypted and "E12345678" not in message.unmasked_encrypted

    from tickets.services.masking import unmasked_message

    assert "15 JAN 1990" in unmasked_message(message)["text_body"]


def test_the_queue_search_runs_over_masked_text(passport_ticket, client, agent):
    passport_ticket.refresh_from_db()
    assert "E12345678" not in passport_ticket.search_text
    client.force_login(agent)
    page = client.get(reverse("admin:tickets_ticket_changelist"), {"q": "E1234"})
    assert passport_ticket.subject not in page.content.decode(), "an agent can confirm a number by searching"
    page = client.get(reverse("admin:tickets_ticket_changelist"), {"q": "verification"})
    assert passport_ticket.reference in page.content.decode()


def test_ocr_text_lines_mrz_and_evidence_are_masked_when_written_from_the_findings(db, on_commit):
    from demo.images import make_id_document
    from tickets.services.ingest import ticket_create_by_agent

    class Upload:
        name, content_type = "passport.jpg", "image/jpeg"

        def __init__(self, data):
            self.data, self.size = data, len(data)

        def read(self):
            return self.data

    ticket = on_commit(ticket_create_by_agent, subject="cannot verify",
                       customer_email="ann@example.com",
                       body="My document number, as printed: E 1234 5678; the photo is attached.",
                       files=[Upload(make_id_document())])
    attachment = Attachment.objects.get(ticket=ticket)
    assert attachment.kind == "id_document"
    assert attachment.preview and attachment.preview_redacted, "both previews stored, the agents' one apart"
    stored = json.dumps([attachment.ocr_text, attachment.ocr_lines, attachment.mrz], ensure_ascii=False)
    for secret in ("E12345678", "15 JAN 1990", "P<CHNZHANG", "1990-01-15"):
        assert secret not in stored, secret
    assert "出生日期" in attachment.ocr_text and "ZHANG" in attachment.ocr_text  # labels and names stay readable
    evidence = json.dumps([c.evidence for c in ticket.categories.all()], ensure_ascii=False)
    assert "E12345678" not in evidence

    from tickets.services.masking import unmasked_attachment

    unmasked = unmasked_attachment(attachment)
    assert "15 JAN 1990" in unmasked["ocr_text"] and unmasked["mrz"]["document_number"] == "E12345678"


def test_the_default_export_is_masked_and_an_unmasked_export_is_logged(passport_ticket, tmp_path):
    out = tmp_path / "out.jsonl"
    call_command("export_tickets", "--output", str(out))
    for secret in SECRETS:
        assert secret not in out.read_text(), secret
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT_UNMASKED).exists()
    call_command("export_tickets", "--output", str(out), "--unmasked")
    assert "E12345678" in json.loads(out.read_text())["subject"]
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT_UNMASKED)
    assert entry.username.startswith("os:") and str(out) in entry.detail


def test_agents_read_masked_mail_supervisors_the_original_and_that_view_is_logged(passport_ticket, client, agent,
                                                                                   supervisor):
    url = reverse("admin:tickets_ticket_change", args=[passport_ticket.pk])
    client.force_login(agent)
    html = client.get(url).content.decode()
    assert "passport number is" in html and "E12345678" not in html and "15 JAN 1990" not in html
    assert not AccessLog.objects.exists()
    client.force_login(supervisor)
    assert "15 JAN 1990" in client.get(url).content.decode()
    entry = AccessLog.objects.get(action=AccessLog.Action.VIEW_UNMASKED)
    assert (entry.user, entry.username, entry.ticket_id) == (supervisor, "supervisor", passport_ticket.pk)


# --- item 1: redacted previews, every view logged -------------------------------------------------------------

FULL, REDACTED = (200, 30, 30), (30, 30, 200)  # the two stored previews, told apart by colour once served as JPEG


def _solid_png(colour) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(out, format="PNG")
    return out.getvalue()


def _colour(jpeg: bytes) -> tuple[int, ...]:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(jpeg)).convert("RGB").resize((1, 1)).getpixel((0, 0))


@pytest.fixture
def previewed(db):
    ticket = Ticket.objects.create(subject="x", customer_email="a@example.com")
    attachment = Attachment(ticket=ticket, filename="passport.jpg", kind="id_document", size=4)
    attachment.preview.save("p.png", ContentFile(_solid_png(FULL)), save=False)
    attachment.preview_redacted.save("r.png", ContentFile(_solid_png(REDACTED)), save=False)
    attachment.save()
    return attachment


def _preview(client, attachment) -> bytes:
    response = client.get(reverse("tickets:attachment_preview", args=[attachment.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _is(colour, expected) -> bool:
    return all(abs(a - b) <= 6 for a, b in zip(colour, expected))


def test_an_agent_gets_the_redacted_preview_a_supervisor_the_full_one_and_each_view_is_logged(
        client, previewed, agent, supervisor):
    client.force_login(agent)
    assert _is(_colour(_preview(client, previewed)), REDACTED)
    client.force_login(supervisor)
    assert _is(_colour(_preview(client, previewed)), FULL)
    log = list(AccessLog.objects.filter(action=AccessLog.Action.VIEW_PREVIEW).order_by("at", "id")
               .values_list("username", "attachment_id", "detail"))
    assert log == [("agent", previewed.pk, "redacted"), ("supervisor", previewed.pk, "full")]


def test_an_agent_never_gets_an_unredacted_preview_drawn_before_redaction_existed(client, db, agent):
    import io

    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(1)
    noisy = Image.fromarray(rng.integers(0, 255, (200, 300, 3), dtype=np.uint8))
    png = io.BytesIO()
    noisy.save(png, format="PNG")
    ticket = Ticket.objects.create(subject="x")
    attachment = Attachment(ticket=ticket, filename="old.jpg", kind="id_document")
    attachment.preview.save("p.png", ContentFile(png.getvalue()), save=False)
    attachment.save()
    client.force_login(agent)
    shown = np.asarray(Image.open(io.BytesIO(_preview(client, attachment))).convert("L"), dtype=np.float32)
    assert shown.var() < 0.05 * np.asarray(noisy.convert("L"), dtype=np.float32).var()


def test_the_access_log_keeps_the_user_name_when_the_user_is_deleted(client, previewed, agent):
    client.force_login(agent)
    _preview(client, previewed)
    agent.delete()
    entry = AccessLog.objects.get()
    assert entry.user is None and entry.username == "agent"


def test_triage_reads_what_the_customer_wrote_and_stores_its_evidence_masked(ingest):
    """Masking must not cost a category: "passport number ███ does not match" would not match the rule."""
    outcome = ingest(build_email(subject="verification", message_id="<triage-mask@example.com>",
                                 body="The passport number E12345678 does not match, please check."))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    category = ticket.categories.get(code="identity_info_error")
    assert category.evidence and "E12345678" not in json.dumps(category.evidence)


def test_rows_stored_before_masking_are_masked_by_the_upgrade_command(db):
    from .factories import make_ticket

    ticket = make_ticket(subject="passport E12345678", body="Date of birth:\n1990-01-15",
                         ocr_text="Passport No. E12345678")
    assert "E12345678" in Ticket.objects.get(pk=ticket.pk).search_text
    call_command("mask_stored_data")
    call_command("mask_stored_data")  # a second run changes nothing
    ticket.refresh_from_db()
    stored = json.dumps([ticket.subject, ticket.search_text, list(ticket.messages.values_list("text_body")),
                         list(ticket.attachments.values_list("ocr_text"))])
    assert "E12345678" not in stored and "1990-01-15" not in stored

    from tickets.services.masking import unmasked_attachment, unmasked_message

    assert unmasked_message(ticket.messages.get())["text_body"].endswith("1990-01-15")
    assert "E12345678" in unmasked_attachment(ticket.attachments.get())["ocr_text"]
