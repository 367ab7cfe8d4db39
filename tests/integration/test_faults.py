"""Faults survived with real processes: a killed worker, a broker outage, a database restart, duplicate deliveries.

Each test fails when its safeguard is removed: acks_late + reject_on_worker_lost (killed worker), the
stored-first ingest and the sweeper (broker down), transient-error retries (database restart), and the
unique constraints on raw bytes and Message-ID (concurrent deliveries).
"""

import os
import shutil
import signal
import subprocess
import time

import pytest
from django.db import connection

from tickets.models import Attachment, CategoryAssignment, IncomingMail, Message, ProcessingStep, Ticket

from ..conftest import need
from ..factories import build_email
from .worker import ROOT, manage

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FAST_REDELIVERY = {"KYCTRIAGE_VISIBILITY_TIMEOUT": "3"}


def _screens_email(path, message_id: str, screens: int = 3) -> None:
    from demo.images import make_screenshot

    lines = ["网络连接超时，请检查网络后重试 %d" % i for i in range(40)]
    attachments = [("screen%d.png" % n, make_screenshot(lines, theme="dark", lang="zh"), "image/png")
                   for n in range(screens)]
    path.write_bytes(build_email(message_id=message_id, subject="上传失败", body="截图在附件",
                                 attachments=attachments))


def _wait(predicate, timeout: float, what: str, poll: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection.close()  # see other processes' commits, survive a restarted server
        try:
            value = predicate()
        except Exception:  # noqa: BLE001 - the database may be restarting
            value = None
        if value:
            return value
        time.sleep(poll)
    raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))


def _assert_triaged_exactly_once(ticket: Ticket) -> None:
    ticket.refresh_from_db()
    assert ticket.status == "triaged", ticket.status_reason
    for attachment in ticket.attachments.all():
        assert attachment.analysis_status == "done"
        assert ProcessingStep.objects.filter(attachment=attachment, step="analyse", status="ok").count() == 1
    assert ProcessingStep.objects.filter(ticket=ticket, step="triage", status="ok").count() == 1
    codes = list(CategoryAssignment.objects.filter(ticket=ticket).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) and codes


def test_a_worker_killed_mid_ocr_is_replaced_and_the_ticket_is_triaged_once(worker_factory, live_env, tmp_path):
    first = worker_factory(concurrency=1, extra_env=FAST_REDELIVERY)
    eml = tmp_path / "kill.eml"
    _screens_email(eml, "<kill@example.com>")
    result = manage("ingest_email", str(eml), env=dict(live_env, **FAST_REDELIVERY))
    assert result.returncode == 0, result.stderr.decode()

    running = _wait(lambda: Attachment.objects.filter(analysis_status="running").first(), 60,
                    "an OCR task to start")
    os.killpg(first.process.pid, signal.SIGKILL)  # the worker and its pool process, mid-task
    first.process.wait(10)

    worker_factory(concurrency=1, extra_env=FAST_REDELIVERY)
    ticket = Ticket.objects.get()
    _wait(lambda: Ticket.objects.filter(pk=ticket.pk, status__in=["triaged", "failed"]).exists(), 180,
          "the second worker to finish the ticket")
    _assert_triaged_exactly_once(ticket)
    running.refresh_from_db()
    assert running.analysis_attempts >= 2, "the killed task ran again"


def test_mail_ingested_while_the_broker_is_down_is_processed_once_it_is_back(worker_factory, live_env, tmp_path):
    eml = tmp_path / "down.eml"
    _screens_email(eml, "<down@example.com>", screens=1)
    down = dict(live_env, CELERY_BROKER_URL="redis://127.0.0.1:1/0")  # nothing listens there
    started = time.monotonic()
    result = manage("ingest_email", str(eml), env=down)
    assert result.returncode == 0, result.stderr.decode()
    assert time.monotonic() - started < 60, "ingestion must not hang on a dead broker"
    ticket = Ticket.objects.get()
    assert ticket.status in ("new", "processing")
    assert ticket.steps.filter(step="queue", status="retrying").exists()

    worker_factory()
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=ticket.updated_at - __import__("datetime").timedelta(hours=1))
    swept = manage("sweep_stuck", env=live_env)
    assert b"requeued 1" in swept.stdout, swept.stdout + swept.stderr
    _wait(lambda: Ticket.objects.filter(pk=ticket.pk, status="triaged").exists(), 120, "the swept ticket")
    _assert_triaged_exactly_once(ticket)


def test_tasks_survive_a_database_restart_under_a_running_worker(worker_factory, live_env, tmp_path):
    need(shutil.which("pg_ctlcluster") is not None and os.geteuid() == 0,
         "restarting PostgreSQL needs pg_ctlcluster and root")
    versions = sorted(os.listdir("/etc/postgresql"))
    worker_factory(concurrency=2)
    eml = tmp_path / "restart.eml"
    _screens_email(eml, "<restart@example.com>", screens=4)
    result = manage("ingest_email", str(eml), env=live_env)
    assert result.returncode == 0, result.stderr.decode()
    _wait(lambda: Attachment.objects.filter(analysis_status="running").exists(), 60, "analysis to start")

    connection.close()
    restart = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
                             capture_output=True, timeout=120)
    assert restart.returncode == 0, restart.stderr.decode()
    ticket = _wait(lambda: Ticket.objects.filter(status__in=["triaged", "failed"]).first(), 240,
                   "the ticket after the restart")
    _assert_triaged_exactly_once(ticket)


def test_the_same_message_delivered_at_once_by_several_processes_makes_one_ticket(postgres, live_env, tmp_path):
    env = dict(live_env, KYCTRIAGE_AUTO_PROCESS="0")
    for round_ in range(3):
        same_bytes = tmp_path / ("same%d.eml" % round_)
        same_bytes.write_bytes(build_email(message_id="<race%d@example.com>" % round_, subject="race"))
        other_bytes = tmp_path / ("relayed%d.eml" % round_)
        other_bytes.write_bytes(build_email(message_id="<race%d@example.com>" % round_, subject="race",
                                            headers={"Received": "from relay%d" % round_}))
        paths = [same_bytes, same_bytes, other_bytes, other_bytes]
        processes = [subprocess.Popen([os.sys.executable, "manage.py", "ingest_email", str(p)], cwd=ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE) for p in paths]
        for process in processes:
            process.wait(120)
            assert process.returncode == 0, process.stderr.read().decode()
        connection.close()
        assert Message.objects.filter(message_id="<race%d@example.com>" % round_).count() == 1
    assert Ticket.objects.count() == 3
    assert IncomingMail.objects.filter(state="ingested").count() == 3
