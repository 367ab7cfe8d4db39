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
    env = dict(os.environ, DJANGO_DEBUG="0", KYCTRIAGE_DATA_DIR=str(tmp_path))
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_the_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
