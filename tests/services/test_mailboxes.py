"""IMAP polling against a real Dovecot: each message once, marked or moved only after it is committed here."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from tickets.crypto import secret_encrypt
from tickets.ingest.imap import ImapError
from tickets.models import Mailbox, MailboxLedger, Ticket
from tickets.services import mailboxes
from tickets.services.mailboxes import mailbox_fetch

from ..factories import build_email
from ..imapserver import dovecot_server  # noqa: F401

pytestmark = pytest.mark.django_db


def _mailbox(server, **extra) -> Mailbox:
    return Mailbox.objects.create(name="support", host=server.host, port=server.port, security="none",
                                  username=server.username, password_encrypted=secret_encrypt(server.password),
                                  **extra)


def test_new_mail_is_fetched_once_and_marked_seen(dovecot_server, django_capture_on_commit_callbacks):
    dovecot_server.deliver(build_email(message_id="<i1@example.com>", subject="one"))
    dovecot_server.deliver(build_email(message_id="<i2@example.com>", subject="two"))
    mailbox = _mailbox(dovecot_server)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("fetch_mail")
    assert set(Ticket.objects.values_list("subject", flat=True)) == {"one", "two"}
    assert all("\\Seen" in flags for flags in dovecot_server.flags().values())

    report = mailbox_fetch(mailbox.pk)
    assert report.fetched == 0
    assert Ticket.objects.count() == 2
    mailbox.refresh_from_db()
    assert mailbox.last_success_at and not mailbox.last_error


def test_mail_can_be_moved_to_another_folder_after_import(dovecot_server):
    dovecot_server.deliver(build_email(message_id="<i3@example.com>"))
    mailbox = _mailbox(dovecot_server, after_import=Mailbox.AfterImport.MOVE, move_to="Imported")
    assert mailbox_fetch(mailbox.pk).fetched == 1
    assert dovecot_server.flags("INBOX") == {}
    assert len(dovecot_server.flags("Imported")) == 1


def test_a_server_that_drops_the_connection_mid_fetch_loses_nothing(dovecot_server, monkeypatch):
    for n in range(3):
        dovecot_server.deliver(build_email(message_id="<d%d@example.com>" % n, subject="drop %d" % n))
    mailbox = _mailbox(dovecot_server)
    from tickets.ingest import imap

    real_fetch = imap.ImapMailbox.fetch
    calls = {"n": 0}

    def fetch_then_die(self, uid):
        calls["n"] += 1
        if calls["n"] == 2:
            dovecot_server.stop()
        return real_fetch(self, uid)

    monkeypatch.setattr(imap.ImapMailbox, "fetch", fetch_then_die)
    with pytest.raises(ImapError):
        mailbox_fetch(mailbox.pk)
    mailbox.refresh_from_db()
    assert mailbox.last_error
    assert Ticket.objects.count() == 1

    monkeypatch.setattr(imap.ImapMailbox, "fetch", real_fetch)
    dovecot_server.restart()
    mailbox_fetch(mailbox.pk)
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["drop 0", "drop 1", "drop 2"]
    assert all("\\Seen" in flags for flags in dovecot_server.flags().values())


def test_a_crash_between_commit_and_marking_is_finished_on_the_next_poll(dovecot_server, monkeypatch):
    dovecot_server.deliver(build_email(message_id="<c1@example.com>"))
    mailbox = _mailbox(dovecot_server)
    real_action = mailboxes._server_action
    monkeypatch.setattr(mailboxes, "_server_action", lambda *a: (_ for _ in ()).throw(ImapError("boom")))
    with pytest.raises(ImapError):
        mailbox_fetch(mailbox.pk)
    assert MailboxLedger.objects.get().server_done is False
    assert not any("\\Seen" in f for f in dovecot_server.flags().values())

    monkeypatch.setattr(mailboxes, "_server_action", real_action)
    report = mailbox_fetch(mailbox.pk)
    assert report.fetched == 0 and report.server_actions == 1
    assert Ticket.objects.count() == 1
    assert all("\\Seen" in flags for flags in dovecot_server.flags().values())


def test_the_ledger_refuses_a_second_import_of_the_same_uid(dovecot_server):
    mailbox = _mailbox(dovecot_server)
    MailboxLedger.objects.create(mailbox=mailbox, folder="INBOX", uidvalidity=7, uid=1)
    with pytest.raises(IntegrityError):
        MailboxLedger.objects.create(mailbox=mailbox, folder="INBOX", uidvalidity=7, uid=1)


def test_mailbox_passwords_are_stored_encrypted(dovecot_server, admin_client):
    response = admin_client.post("/admin/tickets/mailbox/add/", {
        "name": "kyc", "host": "127.0.0.1", "port": dovecot_server.port, "security": "none",
        "username": "support", "password": "secret", "folder": "INBOX", "after_import": "seen",
        "move_to": "", "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    mailbox = Mailbox.objects.get(name="kyc")
    assert "secret" not in mailbox.password_encrypted
    assert mailbox_fetch(mailbox.pk).fetched == 0


def test_an_agent_can_fetch_a_mailbox_now_from_the_admin(dovecot_server, admin_client):
    dovecot_server.deliver(build_email(message_id="<now@example.com>", subject="fetch now"))
    mailbox = _mailbox(dovecot_server)
    response = admin_client.post("/admin/tickets/mailbox/", {"action": "fetch_now", "_selected_action": [mailbox.pk]},
                                 follow=True)
    assert "1 new messages" in response.content.decode()
    assert Ticket.objects.filter(subject="fetch now").exists()
