"""The production path: ingest_email --wait hands tickets to a real Celery worker over Redis."""

import json
from email.message import EmailMessage

import pytest

from tickets.models import Attachment, Ticket
from tickets.taxonomy import TicketStatus

from .worker import manage

pytestmark = pytest.mark.integration


def _ticket_email(tmp_path):
    from demo.images import make_id_document, make_screenshot

    msg = EmailMessage()
    msg["From"] = "Wang Wei <wang.wei@example.cn>"
    msg["To"] = "kyc@example.com"
    msg["Subject"] = "认证上传失败"
    msg["Message-ID"] = "<worker-e2e-1@example.cn>"
    msg.set_content("你好，上传证件时一直失败，截图在附件里。")
    msg.add_attachment(make_screenshot(["上传失败", "网络连接超时，请重试"], theme="dark", lang="zh"),
                       maintype="image", subtype="png", filename="screen.png")
    msg.add_attachment(make_id_document(defects=("glare",)), maintype="image", subtype="jpeg",
                       filename="passport.jpg")
    path = tmp_path / "ticket.eml"
    path.write_bytes(msg.as_bytes())
    return path


def test_worker_analyses_and_triages_an_ingested_ticket(worker_factory, live_env, tmp_path):
    worker = worker_factory()
    eml = _ticket_email(tmp_path)

    result = manage("ingest_email", "--wait", "--timeout", "240", str(eml), env=live_env, timeout=300)

    assert result.returncode == 0, result.stderr.decode() + "\n" + worker.log()[-3000:]
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.TRIAGED, ticket.status_reason
    screen = Attachment.objects.get(filename="screen.png")
    passport = Attachment.objects.get(filename="passport.jpg")
    assert screen.kind == "screenshot"
    assert "网络连接超时" in screen.ocr_text.replace(" ", "")
    assert screen.metrics["ocr_engine"] == "rapidocr"  # PP-OCR loads and reads inside a prefork worker child
    assert "glare" in passport.defect_codes
    codes = set(ticket.categories.filter(applied=True).values_list("code", flat=True))
    assert "upload_network_failure" in codes
    assert ticket.steps.filter(step="analyse", status="ok").count() == 2

    exported = manage("export_tickets", "--format", "jsonl", env=live_env)
    assert exported.returncode == 0, exported.stderr.decode()
    row = json.loads(exported.stdout.decode().splitlines()[0])
    assert row["message_id"] == "<worker-e2e-1@example.cn>"
    assert row["status"] == "triaged"
    assert {a["filename"] for a in row["attachments"]} == {"screen.png", "passport.jpg"}


def test_a_second_delivery_of_the_same_message_is_skipped(worker_factory, live_env, tmp_path):
    worker_factory()
    eml = _ticket_email(tmp_path)
    first = manage("ingest_email", "--wait", str(eml), env=live_env)
    second = manage("ingest_email", "--wait", str(eml), env=live_env)
    assert first.returncode == 0 and second.returncode == 0, second.stderr.decode()
    assert b"duplicate" in second.stderr
    assert Ticket.objects.count() == 1


@pytest.mark.slow
def test_a_real_worker_stays_healthy_after_the_hostile_corpus(worker_factory, live_env, tmp_path):
    from ..factories import build_email
    from ..samples.hostile import hostile_attachments, hostile_emails

    worker = worker_factory()
    paths = []
    for n, (case, raw) in enumerate(hostile_emails()):
        paths.append(tmp_path / ("mail%d.eml" % n))
        paths[-1].write_bytes(raw)
    for n, (case, filename, payload, _) in enumerate(hostile_attachments()):
        paths.append(tmp_path / ("att%d.eml" % n))
        paths[-1].write_bytes(build_email(message_id="<hostile-%d@example.com>" % n,
                                          attachments=[(filename, payload, "image/jpeg")]))
    result = manage("ingest_email", "--wait", "--timeout", "240", *map(str, paths), env=live_env, timeout=300)
    assert result.returncode == 0, result.stderr.decode() + worker.log()[-3000:]
    for ticket in Ticket.objects.all():
        assert ticket.status in ("triaged", "failed")
        assert ticket.status == "triaged" or ticket.status_reason

    normal = tmp_path / "normal.eml"
    normal.write_bytes(build_email(message_id="<normal-after@example.com>", body="still under review, any news?"))
    result = manage("ingest_email", "--wait", "--timeout", "120", str(normal), env=live_env)
    assert result.returncode == 0, result.stderr.decode()
    assert worker.process.poll() is None, "the worker is still running"
    ticket = Ticket.objects.get(messages__message_id="<normal-after@example.com>")
    assert ticket.status == "triaged"
    assert "WorkerLostError" not in worker.log()
