"""Several machines for real: a web process and two workers, each with its own KYCTRIAGE_DATA_DIR (no shared disk),
sharing only PostgreSQL, the Redis broker and an S3 bucket (a real SeaweedFS). Mail in -> analysis on one worker ->
previews -> an agent's reply and the customer's answer -> triage on the other worker -> retention purge, every
byte through the bucket, encrypted at rest.
"""

from datetime import timedelta
from email.utils import make_msgid

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.utils import timezone

from tickets.models import AccessLog, Attachment, IncomingMail, Ticket
from tickets.storage import MAGIC

from ..factories import build_email
from .worker import manage

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _files_on_disk(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def _ran(task: str, worker) -> int:
    """How many runs of the task this worker finished (Celery logs "Task <name>[<id>] succeeded in ...")."""
    return sum(1 for line in worker.log().splitlines() if "tickets.tasks.%s[" % task in line and "succeeded" in line)


def test_web_and_two_workers_without_a_shared_disk_run_the_whole_ticket_through_the_bucket(
        s3_store_factory, worker_factory, live_env, tmp_path, client, django_user_model):
    from django.contrib.auth.models import Group

    from demo.images import make_id_document, make_screenshot, make_selfie
    from tickets.services.replies import reply_send

    key = Fernet.generate_key().decode()
    endpoint, bucket = s3_store_factory(key=key)  # this test process is the web machine's Django
    machines = {name: tmp_path / name for name in ("web", "worker-analysis", "worker-triage")}
    envs = {}
    for name, folder in machines.items():
        folder.mkdir()
        envs[name] = {**endpoint.environment(bucket), "KYCTRIAGE_STORAGE_KEY": key,
                      "KYCTRIAGE_DATA_DIR": str(folder)}
    analysis = worker_factory(queues="analysis", extra_env=envs["worker-analysis"])
    triage = worker_factory(queues="triage,mail", extra_env=envs["worker-triage"])
    web = {**live_env, **envs["web"]}

    # 1. mail in on the web machine, piped from the MTA
    screen = make_screenshot(["上传失败", "网络连接超时，请重试"], lang="zh", size=(540, 1170))
    passport = make_id_document(defects=("glare",))
    first = build_email(subject="认证上传失败", body="上传证件一直失败，截图和护照在附件里。",
                        sender="Wang Wei <wang.wei@example.cn>", message_id="<s3-machines-1@example.cn>",
                        attachments=[("screen.png", screen, "image/png"), ("passport.jpg", passport, "image/jpeg")])
    result = manage("ingest_email", "--wait", "--timeout", "240", "-", env=web, stdin=first, timeout=300)
    assert result.returncode == 0, result.stderr.decode() + analysis.log()[-2000:] + triage.log()[-2000:]

    ticket = Ticket.objects.get()
    assert ticket.status == "triaged", ticket.status_reason
    assert ticket.categories.filter(applied=True, code="upload_network_failure").exists()
    for attachment in ticket.attachments.all():
        assert attachment.analysis_status == "done" and attachment.preview, attachment.analysis_error
    assert Attachment.objects.get(filename="passport.jpg").kind == "id_document"
    assert _ran("attachment_analyse", analysis) == 2 and _ran("attachment_analyse", triage) == 0
    assert _ran("ticket_triage", triage) == 1 and _ran("ticket_triage", analysis) == 0

    # 2. the web machine serves the preview and the original from the bucket, checked and logged
    supervisor = django_user_model.objects.create_user("super", password="pw", is_staff=True)
    supervisor.groups.add(Group.objects.get(name="KYC supervisors"))
    client.force_login(supervisor)
    stored_passport = Attachment.objects.get(filename="passport.jpg")
    preview = client.get("/files/attachments/%d/preview/" % stored_passport.pk)
    assert preview.status_code == 200 and b"".join(preview.streaming_content).startswith(b"\xff\xd8")  # JPEG
    original = client.get("/files/attachments/%d/original/" % stored_passport.pk)
    assert original.status_code == 200 and b"".join(original.streaming_content) == passport
    # both logged: the full preview (a supervisor's) and the download of the original
    assert sorted(AccessLog.objects.filter(attachment=stored_passport, user=supervisor)
                  .values_list("action", flat=True)) == sorted([AccessLog.Action.VIEW_PREVIEW, AccessLog.Action.DOWNLOAD])

    # 3. an agent replies; the customer answers with a selfie, threaded onto the same ticket
    reply = reply_send(ticket, body="请重新拍摄护照，避免反光。", user=supervisor)
    assert len(mail.outbox) == 1
    answer = build_email(subject="Re: " + reply.subject, body="好的，这是我的自拍。", sender="wang.wei@example.cn",
                         message_id=make_msgid(domain="example.cn"),
                         headers={"In-Reply-To": reply.message_id, "References": reply.message_id},
                         attachments=[("selfie.jpg", make_selfie(), "image/jpeg")])
    result = manage("ingest_email", "--wait", "--timeout", "240", "-", env=web, stdin=answer, timeout=300)
    assert result.returncode == 0, result.stderr.decode() + analysis.log()[-2000:]
    assert Ticket.objects.count() == 1
    ticket.refresh_from_db()
    assert ticket.status == "triaged", ticket.status_reason
    selfie = Attachment.objects.get(filename="selfie.jpg")
    assert selfie.ticket_id == ticket.pk and selfie.kind == "selfie" and selfie.preview

    # every byte is in the bucket, encrypted; no machine kept one on its own disk
    raw = list(IncomingMail.objects.values_list("raw", flat=True))
    attachments = list(Attachment.objects.all())
    expected = raw + [a.file.name for a in attachments] + [a.preview.name for a in attachments]
    expected += [a.preview_redacted.name for a in attachments]  # the agents' redacted previews
    assert sorted(endpoint.keys(bucket)) == sorted("kyctriage/" + name for name in expected)
    for key_name in endpoint.keys(bucket):
        assert endpoint.read(bucket, key_name).startswith(MAGIC)
    for name, folder in machines.items():
        assert not [f for f in _files_on_disk(folder) if f.startswith("attachments")], name

    # 4. retention, run on a worker machine, deletes the identity originals and their previews from the bucket
    Ticket.objects.filter(pk=ticket.pk).update(workflow=Ticket.Workflow.CLOSED,
                                               closed_at=timezone.now() - timedelta(days=400))
    result = manage("purge_originals", env={**live_env, **envs["worker-triage"]})
    assert result.returncode == 0, result.stderr.decode()
    # retention deletes everything that holds identity data: every original, both previews, the raw mail
    assert b"deleted 3 originals and 2 raw mails of 1 tickets" in result.stdout, result.stdout
    assert set(endpoint.keys(bucket)) == set()
    assert client.get("/files/attachments/%d/original/" % stored_passport.pk).status_code == 404
