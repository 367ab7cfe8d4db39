"""Polling IMAP mailboxes exactly once: the ledger row and the ticket commit together, the server is told after."""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..crypto import secret_decrypt, secret_encrypt
from ..models import Mailbox, MailboxLedger
from .files import files_removed_on_rollback
from .ingest import message_ingest

log = logging.getLogger(__name__)


@dataclass
class FetchReport:
    fetched: int = 0
    already_had: int = 0
    server_actions: int = 0


@dataclass(frozen=True)
class ConnectionProblem:
    field: str
    message: str


def mailbox_connection_problem(host: str, security: str) -> ConnectionProblem | None:
    """Why a mailbox may not connect there (host not allowed, plaintext in production), or None."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    host = host.strip().lower().rstrip(".")
    allowed = getattr(settings, "KYCTRIAGE_IMAP_ALLOWED_HOSTS", [])
    if allowed and not any(host == a or (a.startswith(".") and (host.endswith(a) or host == a[1:])) for a in allowed):
        return ConnectionProblem("host", _("%(host)s is not an allowed IMAP host (KYCTRIAGE_IMAP_ALLOWED_HOSTS: "
                                           "%(allowed)s).") % {"host": host, "allowed": ", ".join(allowed)})
    if security == Mailbox.Security.NONE and not getattr(settings, "KYCTRIAGE_IMAP_ALLOW_PLAINTEXT", False):
        return ConnectionProblem("security", _("IMAP without TLS sends the password in clear: choose TLS or "
                                               "STARTTLS."))
    return None


def mailbox_set_password(mailbox: Mailbox, password: str) -> None:
    mailbox.password_encrypted = secret_encrypt(password)
    mailbox.save(update_fields=["password_encrypted"])


def mailbox_unreachable_message() -> str:
    """The one message for every connection failure, in the active language."""
    from django.utils.translation import gettext as _

    return _("could not connect, log in or read the folder. Check the host, port, security and password; the "
             "worker's log has the details.")


def _config(mailbox: Mailbox):
    from ..ingest.imap import ImapConfig

    return ImapConfig(host=mailbox.host, port=mailbox.port, security=mailbox.security,
                      username=mailbox.username, password=secret_decrypt(mailbox.password_encrypted),
                      folder=mailbox.folder)


def _server_action(box, mailbox: Mailbox, uid: int) -> None:
    if mailbox.after_import == Mailbox.AfterImport.MOVE and mailbox.move_to:
        box.move(uid, mailbox.move_to)
    elif mailbox.after_import == Mailbox.AfterImport.DELETE:
        box.delete(uid)
    else:
        box.mark_seen(uid)


def mailbox_fetch(mailbox_id: int) -> FetchReport:
    """Import new mail of one mailbox; raises ImapError for the caller to retry (recorded on the mailbox)."""
    from ..ingest.imap import ImapError, ImapMailbox

    mailbox = Mailbox.objects.get(pk=mailbox_id)
    report = FetchReport()
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now())
    problem = mailbox_connection_problem(mailbox.host, mailbox.security)
    if problem is not None:
        Mailbox.objects.filter(pk=mailbox.pk).update(last_error="%s: %s" % (timezone.now().isoformat(),
                                                                            problem.message))
        raise ImapError(problem.message)
    try:
        with ImapMailbox(_config(mailbox)) as box:
            uidvalidity = box.uidvalidity
            ledger = MailboxLedger.objects.filter(mailbox=mailbox, folder=mailbox.folder, uidvalidity=uidvalidity)
            known = set(ledger.values_list("uid", flat=True))
            # finish server actions a crash left undone (committed here, not yet marked there)
            present = set(box.uids_all())
            for row in ledger.filter(server_done=False):
                if row.uid in present:
                    _server_action(box, mailbox, row.uid)
                    report.server_actions += 1
                MailboxLedger.objects.filter(pk=row.pk).update(server_done=True)
            candidates = box.uids_unseen() if mailbox.after_import == Mailbox.AfterImport.MARK_SEEN else sorted(present)
            for uid in candidates:
                if uid in known:
                    continue
                mail = box.fetch(uid)
                try:
                    with files_removed_on_rollback(), transaction.atomic():
                        row = MailboxLedger.objects.create(mailbox=mailbox, folder=mailbox.folder,
                                                           uidvalidity=uidvalidity, uid=uid)
                        outcome = message_ingest(mail.raw, source="imap:%s/%s/%d" % (mailbox.name,
                                                                                      mailbox.folder, uid),
                                                 received_at=mail.internal_date)
                        MailboxLedger.objects.filter(pk=row.pk).update(incoming_id=outcome.incoming_id)
                except IntegrityError:
                    report.already_had += 1  # another poller committed this UID first
                    continue
                report.fetched += 1
                _server_action(box, mailbox, uid)
                MailboxLedger.objects.filter(pk=row.pk).update(server_done=True)
                report.server_actions += 1
    except ImapError as exc:
        # One message for every failure (refused, timed out, TLS, login): the admin must not become a port
        # scanner. The details go to the log, for the operator.
        log.warning("mailbox %s (%s:%d): %s", mailbox.name, mailbox.host, mailbox.port, exc)
        generic = mailbox_unreachable_message()
        Mailbox.objects.filter(pk=mailbox.pk).update(last_error="%s: %s" % (timezone.now().isoformat(), generic))
        raise ImapError(generic) from exc
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error="", last_success_at=timezone.now())
    log.info("mailbox %s: %d fetched, %d already imported", mailbox.name, report.fetched, report.already_had)
    return report
