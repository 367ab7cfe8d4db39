"""Identity data: masking, retention of originals, encryption at rest, login rate limiting."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from tickets.masking import mask_sensitive
from tickets.models import AccessLog, Attachment, Ticket

from .factories import make_ticket

MRZ = "P<CHNZHANG<<WEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nE123456784CHN9001012M3105016<<<<<<<<<<<<<<06"


def test_mrz_lines_id_numbers_and_dates_of_birth_are_masked():
    text = "姓名 张伟\n出生日期 1990-01-01\n公民身份号码 11010519900101123X\nPassport No. E12345678\n" + MRZ
    masked = mask_sensitive(text)
    assert "11010519900101123X" not in masked
    assert "E12345678" not in masked
    assert "1990-01-01" not in masked
    assert "P<CHN" not in masked
    assert "姓名 张伟" in masked


def test_error_messages_stay_readable_when_masked():
    assert mask_sensitive("网络连接超时，请重试 (code 5003)") == "网络连接超时，请重试 (code 5003)"


@pytest.mark.django_db
def test_the_export_masks_identity_data_unless_asked(tmp_path):
    make_ticket(ocr_text="Passport No. E12345678")
    out = tmp_path / "out.jsonl"
    call_command("export_tickets", "--output", str(out))
    assert "E12345678" not in out.read_text()
    call_command("export_tickets", "--output", str(out), "--unmasked")
    assert "E12345678" in out.read_text()


@pytest.mark.django_db
def test_agents_without_the_permission_see_masked_ocr_text(client, django_user_model):
    from django.contrib.auth.models import Group

    ticket = make_ticket(ocr_text="Passport No. E12345678")
    agent = django_user_model.objects.create_user("agent", password="pw", is_staff=True)
    agent.groups.add(Group.objects.get(name="KYC agents"))
    client.force_login(agent)
    html = client.get("/admin/tickets/ticket/%d/change/" % ticket.pk).content.decode()
    assert "Passport No." in html and "E12345678" not in html
    supervisor = django_user_model.objects.create_user("super", password="pw", is_staff=True)
    supervisor.groups.add(Group.objects.get(name="KYC supervisors"))
    client.force_login(supervisor)
    assert "E12345678" in client.get("/admin/tickets/ticket/%d/change/" % ticket.pk).content.decode()


def _closed_ticket_with_passport(days_ago: int) -> Attachment:
    ticket = Ticket.objects.create(subject="x", workflow=Ticket.Workflow.CLOSED,
                                   closed_at=timezone.now() - timedelta(days=days_ago))
    attachment = Attachment(ticket=ticket, filename="passport.jpg", kind="id_document",
                            ocr_text="PASSPORT\n" + MRZ, metrics={"sharpness": 300.0}, analysis_status="done")
    attachment.file.save("original", ContentFile(b"jpeg bytes"), save=False)
    attachment.save()
    return attachment


@pytest.mark.django_db
def test_retention_deletes_originals_after_the_period_and_keeps_the_findings(settings):
    settings.KYCTRIAGE_RETENTION_DAYS = 30
    old = _closed_ticket_with_passport(days_ago=40)
    recent = _closed_ticket_with_passport(days_ago=5)
    path = old.file.path

    call_command("purge_originals", "--dry-run")
    assert Attachment.objects.get(pk=old.pk).file

    call_command("purge_originals")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and old.original_deleted_at
    assert not __import__("os").path.exists(path)
    assert old.metrics == {"sharpness": 300.0}
    assert "P<CHN" not in old.ocr_text and "PASSPORT" in old.ocr_text
    assert recent.file
    assert AccessLog.objects.get().action == AccessLog.Action.DELETE


def test_originals_can_be_encrypted_at_rest(tmp_path, monkeypatch):
    from cryptography.fernet import Fernet

    from tickets.storage import EncryptedFileSystemStorage

    monkeypatch.setenv("KYCTRIAGE_STORAGE_KEY", Fernet.generate_key().decode())
    storage = EncryptedFileSystemStorage(location=str(tmp_path))
    name = storage.save("passport", ContentFile(b"\xff\xd8 the real bytes"))
    assert b"the real bytes" not in (tmp_path / name).read_bytes()
    with storage.open(name) as handle:
        assert handle.read() == b"\xff\xd8 the real bytes"


@pytest.mark.django_db
def test_logins_are_locked_out_after_repeated_failures(client, django_user_model, settings):
    django_user_model.objects.create_user("agent", password="right-password", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "agent", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "agent", "password": "right-password"})
    assert response.status_code == 429


def test_a_date_of_birth_on_the_line_under_its_label_is_masked():
    from tickets.masking import mask_text

    masked = mask_text("出生日期 /Date of birth\n15 JAN 1990\n签发日期 /Date of issue\n01 MAY 2021")
    assert "15 JAN 1990" not in masked and "01 MAY 2021" in masked


def test_an_mrz_line_as_ocr_misreads_it_is_masked():
    from tickets.masking import mask_text

    assert "CHN" not in mask_text("£123456782CHN9001158F3105010<<<<<<<<<<<<<<<4")
    assert "CHN" not in mask_text("IDCHNE123456182<<<< <<<<<<<< <<<")


def test_values_the_analysis_found_are_masked_wherever_they_appear():
    from tickets.masking import identity_values, mask_text

    values = identity_values({"document_number": "G1234567", "birth_date": "1990-01-15"})
    text = mask_text("my number is G 1234567? no: G1234567, born 15.01.1990", values)
    assert "G1234567" not in text and "15.01.1990" not in text
