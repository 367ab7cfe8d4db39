"""Issue 11, item 4: mailboxes, admin actions, merging and URLs that do not leak or surprise."""

import os
import socket

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from tickets.crypto import secret_decrypt, secret_encrypt
from tickets.ingest.imap import ImapError
from tickets.models import AccessLog, IncomingMail, Mailbox, Ticket
from tickets.services.mailboxes import mailbox_fetch

from .factories import make_ticket
from .imapserver import dovecot_server  # noqa: F401

pytestmark = pytest.mark.django_db


def _mailbox(**extra) -> Mailbox:
    fields = {"name": "support", "host": "imap.example.com", "port": 993, "security": "ssl", "username": "kyc",
              "password_encrypted": secret_encrypt("the-real-password"), **extra}
    return Mailbox.objects.create(**fields)


def _form_data(mailbox: Mailbox, **changes) -> dict:
    data = {"name": mailbox.name, "host": mailbox.host, "port": mailbox.port, "security": mailbox.security,
            "username": mailbox.username, "password": "", "folder": mailbox.folder,
            "after_import": mailbox.after_import, "move_to": "", "is_active": "on"}
    data.update(changes)
    return data


@pytest.mark.parametrize("change", [{"host": "attacker.example.net"}, {"port": 1143}, {"security": "starttls"}])
def test_a_mailbox_asks_for_its_password_again_when_the_server_changes(admin_client, change):
    mailbox = _mailbox()
    url = reverse("admin:tickets_mailbox_change", args=[mailbox.pk])
    page = admin_client.post(url, _form_data(mailbox, **change))
    assert page.status_code == 200 and "enter the mailbox password again" in page.content.decode()
    mailbox.refresh_from_db()
    assert mailbox.host == "imap.example.com" and mailbox.port == 993 and mailbox.security == "ssl"
    assert admin_client.post(url, _form_data(mailbox, password="a-new-one", **change)).status_code == 302
    mailbox.refresh_from_db()
    assert secret_decrypt(mailbox.password_encrypted) == "a-new-one"


def test_other_mailbox_changes_keep_the_password(admin_client):
    mailbox = _mailbox()
    response = admin_client.post(reverse("admin:tickets_mailbox_change", args=[mailbox.pk]),
                                 _form_data(mailbox, folder="Support"))
    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert secret_decrypt(mailbox.password_encrypted) == "the-real-password"


def test_mailbox_hosts_can_be_limited_by_a_setting(admin_client, settings):
    settings.KYCTRIAGE_IMAP_ALLOWED_HOSTS = ["imap.example.com", ".corp.example.com"]
    mailbox = _mailbox()
    url = reverse("admin:tickets_mailbox_change", args=[mailbox.pk])
    page = admin_client.post(url, _form_data(mailbox, host="evil.example.net", password="x"))
    assert "is not an allowed IMAP host" in page.content.decode()
    assert admin_client.post(url, _form_data(mailbox, host="mx.corp.example.com", password="x")).status_code == 302
    Mailbox.objects.filter(pk=mailbox.pk).update(host="evil.example.net")  # set behind the form's back
    with pytest.raises(ImapError, match="not an allowed IMAP host"):
        mailbox_fetch(mailbox.pk)


def test_plaintext_imap_is_refused_unless_allowed(admin_client, settings):
    settings.KYCTRIAGE_IMAP_ALLOW_PLAINTEXT = False
    mailbox = _mailbox()
    page = admin_client.post(reverse("admin:tickets_mailbox_change", args=[mailbox.pk]),
                             _form_data(mailbox, security="none", port=143, password="x"))
    assert "sends the password in clear" in page.content.decode()
    Mailbox.objects.filter(pk=mailbox.pk).update(security="none")
    with pytest.raises(ImapError, match="in clear"):
        mailbox_fetch(mailbox.pk)


def test_production_settings_refuse_plaintext_imap(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="s" * 50, KYCTRIAGE_STORAGE_KEY="x",
               DATABASE_URL="postgres://kyc@127.0.0.1:5432/kyc", KYCTRIAGE_IMAP_ALLOW_PLAINTEXT="1",
               KYCTRIAGE_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=Path(__file__).resolve().parents[1],
                            env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "KYCTRIAGE_IMAP_ALLOW_PLAINTEXT" in result.stderr


def test_connection_errors_all_say_the_same_so_the_admin_is_no_port_scanner(dovecot_server):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        closed_port = free.getsockname()[1]
    wrong_password = _mailbox(name="a", host=dovecot_server.host, port=dovecot_server.port, security="none",
                              username=dovecot_server.username, password_encrypted=secret_encrypt("wrong"))
    nothing_there = _mailbox(name="b", host="127.0.0.1", port=closed_port, security="none")
    no_tls_there = _mailbox(name="c", host=dovecot_server.host, port=dovecot_server.port, security="ssl")
    seen = set()
    for mailbox in (wrong_password, nothing_there, no_tls_there):
        with pytest.raises(ImapError) as failure:
            mailbox_fetch(mailbox.pk)
        mailbox.refresh_from_db()
        seen.add((str(failure.value), mailbox.last_error.split(": ", 1)[1]))
    assert len(seen) == 1, seen
    assert str(closed_port) not in seen.pop()[0]


def test_every_admin_action_needs_a_permission():
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        for action in model_admin.actions or ():
            func = getattr(model_admin, action) if isinstance(action, str) else action
            if not getattr(func, "allowed_permissions", ()):
                unchecked.append("%s.%s" % (model.__name__, getattr(func, "__name__", action)))
    assert not unchecked


def test_an_agent_cannot_reprocess_incoming_mail(client, django_user_model, monkeypatch):
    from tickets.admin import mail

    agent = django_user_model.objects.create_user("agent", password="pw", is_staff=True)
    agent.groups.add(Group.objects.get(name="KYC agents"))
    incoming = IncomingMail.objects.create(sha256="0" * 64, state=IncomingMail.State.QUARANTINED)
    called = []
    monkeypatch.setattr(mail, "incoming_process", lambda pk: called.append(pk))
    client.force_login(agent)
    client.post(reverse("admin:tickets_incomingmail_changelist"),
                {"action": "reprocess", "_selected_action": [incoming.pk]})
    assert called == []


def test_merging_tickets_of_different_customers_is_refused(admin_client):
    first, second = make_ticket(email="ann@example.com"), make_ticket(email="bob@example.com")
    data = {"action": "merge_tickets", "_selected_action": [first.pk, second.pk], "apply": "1"}
    page = admin_client.post(reverse("admin:tickets_ticket_changelist"), data, follow=True)
    assert "same customer" in page.content.decode()
    assert Ticket.objects.get(pk=second.pk).merged_into is None
    from tickets.services.tickets import MergeRefused, tickets_merge

    with pytest.raises(MergeRefused):
        tickets_merge(first, [second])


def test_a_merge_is_confirmed_first_and_recorded_in_the_audit_trail(admin_client):
    first, second = make_ticket(email="ann@example.com"), make_ticket(email="ANN@example.com")
    data = {"action": "merge_tickets", "_selected_action": [first.pk, second.pk]}
    page = admin_client.post(reverse("admin:tickets_ticket_changelist"), data)
    assert "cannot be undone" in page.content.decode()
    assert not AccessLog.objects.exists()
    admin_client.post(reverse("admin:tickets_ticket_changelist"), {**data, "apply": "1"})
    assert Ticket.objects.get(pk=second.pk).merged_into_id == first.pk
    entry = AccessLog.objects.get(action=AccessLog.Action.MERGE)
    assert entry.ticket_id == first.pk and entry.username == "admin"
    assert second.reference in entry.detail and first.reference in entry.detail


def test_a_non_numeric_id_in_the_reply_url_is_a_404(admin_client):
    assert admin_client.get("/admin/tickets/ticket/abc/reply/").status_code == 404


def test_attachments_in_s3_need_a_storage_key_every_machine_shares():
    """A key generated into one machine's data folder could not decrypt what another machine put in the bucket."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k not in ("KYCTRIAGE_STORAGE_KEY", "DATABASE_URL")}
    env.update(DJANGO_DEBUG="1", KYCTRIAGE_DATA_DIR=tempfile.mkdtemp(), KYCTRIAGE_ATTACHMENT_STORAGE="s3",
               KYCTRIAGE_S3_BUCKET="b", DJANGO_SETTINGS_MODULE="kyctriage.settings")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "KYCTRIAGE_STORAGE_KEY must be set" in result.stderr, result.stderr
