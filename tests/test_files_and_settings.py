"""Identity documents are only served through permission-checked, logged views; production settings are safe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from tickets.models import AccessLog, Attachment, Ticket

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def attachment(db):
    ticket = Ticket.objects.create(subject="x", customer_email="a@example.com")
    att = Attachment(ticket=ticket, filename="passport.jpg", size=4)
    att.file.save("original", ContentFile(b"\xff\xd8\xff\xe0"), save=False)
    att.preview.save("preview.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"), save=False)
    att.save()
    return att


def _agent(django_user_model, *perms):
    user = django_user_model.objects.create_user("a%d" % len(perms), password="pw", is_staff=True)
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_an_agent_without_the_permission_cannot_download_an_original(client, attachment, django_user_model):
    client.force_login(_agent(django_user_model, "view_ticket", "view_attachment"))
    response = client.get(reverse("tickets:attachment_original", args=[attachment.pk]))
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_an_original_download_is_logged_and_never_sniffed(client, attachment, django_user_model):
    user = _agent(django_user_model, "view_ticket", "view_attachment", "view_original")
    client.force_login(user)
    response = client.get(reverse("tickets:attachment_original", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff\xe0"
    log = AccessLog.objects.get()
    assert (log.user, log.attachment, log.action) == (user, attachment, AccessLog.Action.DOWNLOAD)


def test_previews_need_a_staff_login(client, attachment):
    response = client.get(reverse("tickets:attachment_preview", args=[attachment.pk]))
    assert response.status_code == 302


def test_stored_files_have_no_public_url(client, attachment, settings):
    response = client.get("/private/" + attachment.file.name)
    assert response.status_code == 404
    assert attachment.file.path.startswith(str(settings.DATA_DIR))


def test_production_settings_pass_check_deploy(tmp_path):
    env = dict(os.environ, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 30 + "-production-secret-key-0123456789abcdef",
               DJANGO_ALLOWED_HOSTS="kyc.example.com", KYCTRIAGE_DATA_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    """Production is DEBUG off with a database server (the embedded SQLite default generates its own key)."""
    env = dict(os.environ, DJANGO_DEBUG="0", KYCTRIAGE_DATA_DIR=str(tmp_path),
               DATABASE_URL="postgres://kyc@127.0.0.1:5432/kyc", KYCTRIAGE_STORAGE_KEY=_FERNET_KEY)
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


_FERNET_KEY = "Wj6mC0B9yq0b1aN1lB6yq7m6rE3iR5dGvH2c0bqP2zE="


def _bare_env(tmp_path, **extra) -> dict:
    """No product variable at all, as the contract's scoring scripts run the commands (§4)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "KYCTRIAGE_", "DATABASE_URL", "CELERY_"))}
    env.update(KYCTRIAGE_DATA_DIR=str(tmp_path / "data"), **extra)
    return env


def test_debug_is_off_unless_asked_for(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env=_bare_env(tmp_path, DJANGO_SETTINGS_MODULE="kyctriage.settings"))
    assert result.stdout.strip() == "False", result.stderr


def test_with_no_environment_the_embedded_default_runs_and_keeps_its_keys_and_database_private(tmp_path):
    """migrate, ingest_email and export_tickets work with DEBUG off; keys generated 0600, files encrypted."""
    env = _bare_env(tmp_path)
    mail = tmp_path / "m.eml"
    mail.write_bytes(b"From: a@example.com\r\nTo: kyc@example.com\r\nSubject: help\r\n"
                     b"Message-ID: <bare-1@example.com>\r\nContent-Type: text/plain\r\n\r\n"
                     b"My passport number is E12345678.\r\n")
    for args in (["migrate", "--noinput"], ["ingest_email", str(mail)], ["export_tickets", "--format", "jsonl"]):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                text=True)
        assert result.returncode == 0, result.stderr
    assert '"subject": "help"' in result.stdout
    data = tmp_path / "data"
    for key in ("DJANGO_SECRET_KEY", "KYCTRIAGE_STORAGE_KEY"):
        assert (data / "keys" / key).stat().st_mode & 0o777 == 0o600
    assert (data / "kyctriage.sqlite3").stat().st_mode & 0o777 == 0o600
    stored = [p for p in (data / "attachments").rglob("*") if p.is_file()]
    assert stored and all(p.stat().st_mode & 0o777 == 0o600 for p in stored)
    assert all(b"E12345678" not in p.read_bytes() for p in stored)  # the raw mail is encrypted at rest


def test_production_refuses_to_start_without_a_storage_key(tmp_path):
    env = dict(os.environ, DJANGO_DEBUG="0", KYCTRIAGE_DATA_DIR=str(tmp_path), DJANGO_SECRET_KEY="s" * 50,
               DATABASE_URL="postgres://kyc@127.0.0.1:5432/kyc")
    env.pop("KYCTRIAGE_STORAGE_KEY", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert "KYCTRIAGE_STORAGE_KEY must be set" in result.stderr


def test_compose_passes_a_storage_key():
    assert "KYCTRIAGE_STORAGE_KEY: ${KYCTRIAGE_STORAGE_KEY:?" in (ROOT / "compose.yaml").read_text()


@pytest.mark.django_db
def test_the_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
