"""Bounded work: time limits, an OCR timeout, a dead-letter after N starts, retries through one task base class,
beat entries that expire, and configuration checked when the process starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError

from tickets import tasks
from tickets.conf import conf
from tickets.models import Attachment, ProcessingStep, Ticket

from ..factories import build_email

ROOT = Path(__file__).resolve().parents[2]


def _screen_ticket(ingest, lines=("网络连接超时，请重试",)) -> Ticket:
    from demo.images import make_screenshot

    raw = build_email(subject="上传失败", body="截图", attachments=[
        ("screen.png", make_screenshot(list(lines), theme="dark", lang="zh"), "image/png")])
    return Ticket.objects.get(pk=ingest(raw).ticket_id)


# ----------------------------------------------------------------------------------------- limits, in settings

def test_every_task_has_soft_and_hard_time_limits_under_the_redis_redelivery_window():
    from kyctriage.celery import app

    soft, hard = app.conf.task_soft_time_limit, app.conf.task_time_limit
    assert 0 < soft < hard
    longest_hold = hard + django_settings.KYCTRIAGE_RETRY_BACKOFF_MAX
    assert app.conf.broker_transport_options["visibility_timeout"] > longest_hold
    assert django_settings.KYCTRIAGE_BROKER_CONSUMER_TIMEOUT > longest_hold
    assert conf.OCR_TIMEOUT_SECONDS < soft, "one OCR run ends well before the task's soft limit"


def test_every_beat_entry_expires_within_its_own_period():
    from kyctriage.celery import app

    assert app.conf.beat_schedule
    for name, entry in app.conf.beat_schedule.items():
        expires = entry.get("options", {}).get("expires")
        assert expires and 0 < expires <= entry["schedule"], name


def test_every_task_shares_one_base_class_that_retries_transient_errors_with_backoff():
    from kyctriage.celery import app

    ours = {name: task for name, task in app.tasks.items() if name.startswith("tickets.")}
    assert len(ours) >= 8
    for name, task in ours.items():
        assert isinstance(task, tasks.RecordedTask), name
        assert OperationalError in task.autoretry_for and task.retry_backoff and task.retry_jitter, name
        assert task.acks_late and task.reject_on_worker_lost, name


@pytest.mark.parametrize("env, message", [
    ({"KYCTRIAGE_TASK_SOFT_TIME_LIMIT": "400", "KYCTRIAGE_TASK_TIME_LIMIT": "300"}, "SOFT_TIME_LIMIT"),
    ({"KYCTRIAGE_VISIBILITY_TIMEOUT": "60"}, "VISIBILITY_TIMEOUT must be above"),
    ({"KYCTRIAGE_TASK_TIME_LIMIT": "soon"}, "KYCTRIAGE_TASK_TIME_LIMIT='soon' is not a whole number"),
    ({"KYCTRIAGE_MAX_ATTACHMENTS": "many"}, "KYCTRIAGE_MAX_ATTACHMENTS='many' is not a whole number"),
    ({"KYCTRIAGE_OCR_TIMEOUT_SECONDS": "500"}, "KYCTRIAGE_OCR_TIMEOUT_SECONDS"),
    ({"CELERY_BROKER_URL": "kafka://127.0.0.1"}, "CELERY_BROKER_URL must be"),
])
def test_a_bad_setting_stops_the_process_at_start_naming_the_variable(env, message, tmp_path):
    run_env = dict(os.environ, KYCTRIAGE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="kyctriage.settings", **env)
    run_env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=run_env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr[-2000:]


# ----------------------------------------------------------------------------------------- retries and failures

@pytest.mark.django_db
def test_a_transient_error_is_retried_and_then_recorded_on_the_ticket(ingest, monkeypatch):
    ticket = _screen_ticket(ingest)
    calls = []

    def database_gone(ticket_id, force=False):
        calls.append(ticket_id)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("tickets.services.triage.ticket_triage", database_gone)
    tasks.ticket_triage.delay(ticket.pk)  # in-process: retries run at once

    assert len(calls) == 1 + tasks.ticket_triage.max_retries
    ticket.refresh_from_db()
    assert ticket.status == "failed"
    assert "OperationalError: server closed the connection" in ticket.status_reason


@pytest.mark.django_db
def test_a_crash_on_one_file_is_recorded_without_retrying(ingest, monkeypatch):
    ticket = _screen_ticket(ingest)
    attachment = ticket.attachments.get()
    Attachment.objects.filter(pk=attachment.pk).update(analysis_status="pending", analyser_version="")
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise ValueError("cannot read this file")

    monkeypatch.setattr("tickets.analysis.analyse", broken)
    tasks.attachment_analyse.delay(attachment.pk)

    assert len(calls) == 1, "a defect of the file is not retried"
    attachment.refresh_from_db()
    assert attachment.analysis_status == "failed"
    assert "ValueError: cannot read this file" in attachment.analysis_error


@pytest.mark.django_db
def test_ocr_that_runs_past_its_timeout_fails_the_attachment_with_the_reason(ingest, settings, monkeypatch):
    from tickets.services import analysis

    settings.KYCTRIAGE_AUTO_PROCESS = 0
    ticket = _screen_ticket(ingest, lines=["网络连接超时，请检查网络后重试 %d" % n for n in range(30)])
    attachment = ticket.attachments.get()
    settings.KYCTRIAGE_OCR_TIMEOUT_SECONDS = 0.001  # read on each analysis; either engine stops at it

    tasks.attachment_analyse.delay(attachment.pk)

    attachment.refresh_from_db()
    assert attachment.analysis_status == "failed"
    assert "OCR did not finish within 0.001 s" in attachment.analysis_error


# ----------------------------------------------------------------------------------------- dead-letter

@pytest.mark.django_db
def test_an_attachment_whose_runs_never_finish_is_dead_lettered_and_the_ticket_fails(ingest, settings, on_commit):
    settings.KYCTRIAGE_AUTO_PROCESS = 0
    ticket = _screen_ticket(ingest)
    attachment = ticket.attachments.get()
    # three earlier runs started and never ended: the worker was SIGKILLed or hit its hard limit each time
    Attachment.objects.filter(pk=attachment.pk).update(analysis_status="running", analysis_attempts=3)
    Ticket.objects.filter(pk=ticket.pk).update(status="processing")

    on_commit(tasks.attachment_analyse.delay, attachment.pk)  # the broker redelivers it once more

    attachment.refresh_from_db()
    assert attachment.analysis_status == "failed"
    assert "started 3 times and never finished" in attachment.analysis_error
    assert attachment.analysis_attempts == 3, "it did not run a fourth time"
    ticket.refresh_from_db()
    assert ticket.status == "failed"
    assert "started 3 times" in ticket.status_reason
    assert ProcessingStep.objects.filter(attachment=attachment, step="analyse", status="failed").count() == 1


@pytest.mark.django_db
def test_a_triage_that_never_finishes_is_dead_lettered_with_its_reason(ingest, settings):
    settings.KYCTRIAGE_AUTO_PROCESS = 0
    ticket = _screen_ticket(ingest)
    Ticket.objects.filter(pk=ticket.pk).update(status="processing", triage_attempts=3)

    tasks.ticket_triage.delay(ticket.pk)

    ticket.refresh_from_db()
    assert ticket.status == "failed"
    assert "triage was started 3 times and never finished" in ticket.status_reason
    assert not ticket.steps.filter(step="triage", status="ok").exists()


@pytest.mark.django_db
def test_retry_processing_gives_a_dead_lettered_ticket_a_fresh_budget(ingest, settings, on_commit):
    from tickets.services.pipeline import tickets_retry

    ticket = _screen_ticket(ingest)
    Ticket.objects.filter(pk=ticket.pk).update(status="failed", triage_attempts=9)
    Attachment.objects.filter(ticket=ticket).update(analysis_status="failed", analysis_attempts=9)

    on_commit(tickets_retry, [ticket.pk])

    ticket.refresh_from_db()
    assert ticket.status == "triaged", ticket.status_reason
    assert ticket.attachments.get().analysis_status == "done"
