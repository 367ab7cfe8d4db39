"""The product on the S3 store: ingest, analysis, the download views and retention all go through the bucket, and an
unreachable store never loses or half-records a message."""

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tickets.models import AccessLog, Attachment, IncomingMail, Ticket
from tickets.storage import MAGIC, StorageUnavailable

from ..factories import build_email
from ..imapserver import dovecot_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(scope="module")
def images():
    from demo.images import make_id_document, make_screenshot

    return {"screen": make_screenshot(["上传失败", "网络连接超时，请重试"], lang="zh", size=(540, 1170)),
            "passport": make_id_document(defects=("glare",))}


def _mail(images, message_id="<s3-1@example.cn>") -> bytes:
    return build_email(subject="认证上传失败", body="上传证件一直失败，截图在附件里。", message_id=message_id,
                       sender="Wang Wei <wang.wei@example.cn>",
                       attachments=[("screen.png", images["screen"], "image/png"),
                                    ("passport.jpg", images["passport"], "image/jpeg")])


def _supervisor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("super", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="KYC supervisors"))
    return user


def test_raw_mail_originals_and_previews_all_go_to_the_bucket_encrypted(s3_store_factory, ingest, images):
    endpoint, bucket = s3_store_factory(key=Fernet.generate_key().decode())

    outcome = ingest(_mail(images))

    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    assert ticket.status == "triaged", ticket.status_reason
    incoming = IncomingMail.objects.get()
    attachments = list(ticket.attachments.order_by("filename"))
    assert all(a.analysis_status == "done" and a.preview for a in attachments)
    names = [incoming.raw.name] + [a.file.name for a in attachments] + [a.preview.name for a in attachments]
    names += [a.preview_redacted.name for a in attachments]  # the agents' redacted preview is stored as well
    assert all(a.preview_redacted for a in attachments)
    assert sorted(endpoint.keys(bucket)) == sorted("kyctriage/" + name for name in names)
    assert {name.split("/")[0] for name in names} == {"mail", "originals", "previews"}
    for name in names:
        at_rest = endpoint.read(bucket, "kyctriage/" + name)
        assert at_rest.startswith(MAGIC) and b"Wang Wei" not in at_rest and b"PNG" not in at_rest[:20]
        assert not (Path(django_settings.DATA_DIR) / "attachments" / name).exists()  # nothing on this machine's disk
    passport = ticket.attachments.get(filename="passport.jpg")
    with passport.file.open("rb") as handle:
        assert handle.read() == images["passport"]


def test_agents_get_originals_and_previews_streamed_from_the_bucket_through_the_checked_view(
        s3_store, ingest, images, client, django_user_model):
    ingest(_mail(images))
    passport = Attachment.objects.get(filename="passport.jpg")
    agent = django_user_model.objects.create_user("agent", password="pw", is_staff=True)
    from django.contrib.auth.models import Group

    agent.groups.add(Group.objects.get(name="KYC agents"))
    client.force_login(agent)
    assert client.get("/files/attachments/%d/original/" % passport.pk).status_code == 403
    preview = client.get("/files/attachments/%d/preview/" % passport.pk)
    assert preview.status_code == 200 and b"".join(preview.streaming_content).startswith(b"\xff\xd8")  # JPEG
    # the refused original is not logged as handed out; the (redacted) preview view is
    assert list(AccessLog.objects.values_list("action", "detail")) == [(AccessLog.Action.VIEW_PREVIEW, "redacted")]
    AccessLog.objects.all().delete()

    client.force_login(_supervisor(django_user_model))
    response = client.get("/files/attachments/%d/original/" % passport.pk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == images["passport"]
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    log = AccessLog.objects.get()
    assert log.attachment_id == passport.pk and log.action == AccessLog.Action.DOWNLOAD


def test_retention_deletes_originals_and_previews_from_the_bucket_and_keeps_the_findings(s3_store, settings):
    endpoint, bucket = s3_store
    settings.KYCTRIAGE_RETENTION_DAYS = 30
    ticket = Ticket.objects.create(subject="x", workflow=Ticket.Workflow.CLOSED,
                                   closed_at=timezone.now() - timedelta(days=40))
    passport = Attachment(ticket=ticket, filename="passport.jpg", kind="id_document", ocr_text="PASSPORT",
                          metrics={"sharpness": 300.0}, analysis_status="done")
    passport.file.save("original", ContentFile(b"jpeg bytes"), save=False)
    passport.preview.save("preview.png", ContentFile(b"png bytes"), save=False)
    passport.save()
    assert len(endpoint.keys(bucket)) == 2

    call_command("purge_originals")

    passport.refresh_from_db()
    assert endpoint.keys(bucket) == []
    assert not passport.file and not passport.preview and passport.original_deleted_at
    assert passport.metrics == {"sharpness": 300.0}
    call_command("purge_originals")  # a second run finds nothing to do
    assert AccessLog.objects.filter(action=AccessLog.Action.DELETE).count() == 1


def test_a_store_that_is_down_at_ingest_records_nothing_and_the_source_delivers_again(
        dead_s3_store, s3_store_factory, ingest, images, tmp_path):
    """Store first: no ticket without its bytes. The pipe from the MTA exits 75 (EX_TEMPFAIL), so the MTA keeps the
    message queued; IMAP leaves it unseen on the server; either delivers it again once the store answers."""
    raw = _mail(images)
    with pytest.raises(StorageUnavailable):
        ingest(raw)
    assert not IncomingMail.objects.exists() and not Ticket.objects.exists() and not Attachment.objects.exists()
    eml = tmp_path / "m.eml"
    eml.write_bytes(raw)
    with pytest.raises(CommandError) as failed:
        call_command("ingest_email", str(eml))
    assert failed.value.returncode == 75

    s3_store_factory()  # the store is back
    outcome = ingest(raw)
    assert outcome.state == "ingested"
    assert Ticket.objects.get().status == "triaged"


def test_analysis_says_on_the_ticket_that_the_store_is_unreachable_and_finishes_once_it_is_back(
        s3_store_factory, ingest, on_commit, images, settings, monkeypatch, tmp_path):
    from tickets.services.pipeline import tickets_retry
    from tickets.storage import attachment_storage_config

    endpoint, bucket = s3_store_factory()
    ticket = Ticket.objects.get(pk=ingest(_mail(images)).ticket_id)
    live = settings.STORAGES["attachments"]
    down = attachment_storage_config({**endpoint.environment(bucket), "KYCTRIAGE_S3_ENDPOINT_URL":
                                      "http://127.0.0.1:9", "KYCTRIAGE_S3_MAX_ATTEMPTS": "1"}, tmp_path)
    settings.STORAGES = {**settings.STORAGES, "attachments": down}

    on_commit(tickets_retry, [ticket.pk], reanalyse=True)

    waiting = ticket.steps.filter(step="analyse", status="retrying")
    assert waiting.exists()
    assert all("could not be reached" in step.error and "nothing was lost" in step.error for step in waiting)
    failed = ticket.attachments.filter(analysis_status="failed")
    assert failed.count() == 2 and "StorageUnavailable" in failed[0].analysis_error

    settings.STORAGES = {**settings.STORAGES, "attachments": live}
    on_commit(tickets_retry, [ticket.pk])
    ticket.refresh_from_db()
    assert ticket.status == "triaged"
    assert set(ticket.attachments.values_list("analysis_status", flat=True)) == {"done"}


def test_the_download_view_answers_503_when_the_store_is_down_and_logs_nothing(
        dead_s3_store, client, django_user_model):
    ticket = Ticket.objects.create(subject="x")
    passport = Attachment.objects.create(ticket=ticket, filename="passport.jpg", kind="id_document",
                                         file="originals/2026/12/abc", preview="previews/2026/12/abc.png")
    client.force_login(_supervisor(django_user_model))
    for url in ("/files/attachments/%d/original/" % passport.pk, "/files/attachments/%d/preview/" % passport.pk):
        response = client.get(url)
        assert response.status_code == 503
        assert response["Retry-After"] == "60" and "try again" in response.content.decode()
    assert not AccessLog.objects.exists()


def test_a_file_missing_from_the_store_is_a_404_not_a_crash(s3_store, client, django_user_model):
    ticket = Ticket.objects.create(subject="x")
    passport = Attachment.objects.create(ticket=ticket, filename="passport.jpg", file="originals/2026/12/gone")
    client.force_login(_supervisor(django_user_model))
    assert client.get("/files/attachments/%d/original/" % passport.pk).status_code == 404


def test_an_agent_adding_a_ticket_while_the_store_is_down_is_told_and_nothing_is_saved(
        dead_s3_store, admin_client, images):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post("/admin/tickets/ticket/add/", {
        "subject": "电话客户", "customer_email": "caller@example.cn", "body": "上传失败",
        "attachments": [SimpleUploadedFile("screen.png", images["screen"], content_type="image/png")]})
    assert response.status_code == 200
    assert "cannot be reached" in response.content.decode()
    assert not Ticket.objects.exists()


def test_imap_mail_stays_unseen_on_the_server_while_the_store_is_down_and_is_imported_once_it_is_back(
        dead_s3_store, s3_store_factory, dovecot_server, images, django_capture_on_commit_callbacks):
    from tickets.crypto import secret_encrypt
    from tickets.models import Mailbox, MailboxLedger
    from tickets.services.mailboxes import mailbox_fetch

    dovecot_server.deliver(_mail(images, message_id="<s3-imap@example.cn>"))
    mailbox = Mailbox.objects.create(name="support", host=dovecot_server.host, port=dovecot_server.port,
                                     security="none", username=dovecot_server.username,
                                     password_encrypted=secret_encrypt(dovecot_server.password))
    with pytest.raises(StorageUnavailable):
        mailbox_fetch(mailbox.pk)  # the task retries this as a transient error
    assert not MailboxLedger.objects.exists() and not IncomingMail.objects.exists()
    flags = dovecot_server.flags()
    assert len(flags) == 1 and all("\\Seen" not in f for f in flags.values())

    s3_store_factory()  # the store is back
    with django_capture_on_commit_callbacks(execute=True):
        assert mailbox_fetch(mailbox.pk).fetched == 1
    assert Ticket.objects.get().status == "triaged"
    flags = dovecot_server.flags()
    assert len(flags) == 1 and all("\\Seen" in f for f in flags.values())


def test_a_store_failing_between_the_raw_mail_and_its_attachments_leaves_a_message_that_is_finished_on_redelivery(
        s3_store, ingest, images, monkeypatch):
    """The raw bytes are kept (state 'received'), no ticket without its attachments; the next delivery finishes it."""
    from tickets.storage_s3 import PrivateS3Storage

    endpoint, bucket = s3_store
    real_save = PrivateS3Storage._save

    def originals_unreachable(self, name, content):
        if name.startswith("originals/"):
            raise StorageUnavailable("the attachment store could not be reached to write %s" % name)
        return real_save(self, name, content)

    monkeypatch.setattr(PrivateS3Storage, "_save", originals_unreachable)
    raw = _mail(images, message_id="<s3-half@example.cn>")
    with pytest.raises(StorageUnavailable):
        ingest(raw)
    incoming = IncomingMail.objects.get()
    assert incoming.state == IncomingMail.State.RECEIVED and not Ticket.objects.exists()
    assert endpoint.keys(bucket) == ["kyctriage/" + incoming.raw.name]

    monkeypatch.setattr(PrivateS3Storage, "_save", real_save)
    assert ingest(raw).state == "ingested"
    assert IncomingMail.objects.get().pk == incoming.pk
    ticket = Ticket.objects.get()
    assert ticket.status == "triaged" and ticket.attachments.count() == 2


def test_the_ticket_page_shows_previews_and_original_links_through_the_views_only(s3_store, ingest, images,
                                                                                admin_client):
    endpoint, bucket = s3_store
    ticket = Ticket.objects.get(pk=ingest(_mail(images)).ticket_id)
    html = admin_client.get("/admin/tickets/ticket/%d/change/" % ticket.pk).content.decode()
    passport = ticket.attachments.get(filename="passport.jpg")
    assert "/files/attachments/%d/preview/" % passport.pk in html
    assert "/files/attachments/%d/original/" % passport.pk in html
    assert endpoint.url not in html and bucket not in html and "X-Amz" not in html
