"""ImapMailbox against a real Dovecot: listing, peeking, flags, moving, deleting and dropped connections."""
from __future__ import annotations

import pytest

from tests.imapserver import DovecotServer
from tickets.ingest.imap import ImapConfig, ImapError, ImapMailbox, encode_folder


def _raw(n: int) -> bytes:
    return b"From: user%d@example.com\r\nSubject: case %d\r\nMessage-ID: <%d@example.com>\r\n\r\nbody %d\r\n" % (n, n, n, n)


def _config(server: DovecotServer, **overrides) -> ImapConfig:  # type: ignore[no-untyped-def]
    values = dict(host=server.host, port=server.port, security="none", username=server.username,
                  password=server.password, timeout=5.0)
    values.update(overrides)
    return ImapConfig(**values)  # type: ignore[arg-type]


def test_unseen_listing_and_fetch_does_not_set_seen(dovecot_server: DovecotServer) -> None:
    """New mail is unseen; fetching it with BODY.PEEK leaves it unseen."""
    dovecot_server.deliver(_raw(1))
    dovecot_server.deliver(_raw(2))
    with ImapMailbox(_config(dovecot_server)) as box:
        assert box.uids_unseen() == [1, 2] == box.uids_all()
        fetched = box.fetch(2)
        assert fetched.uid == 2 and fetched.raw == _raw(2)
        assert box.uids_unseen() == [1, 2]
    assert dovecot_server.flags() == {1: set(), 2: set()}


def test_mark_seen(dovecot_server: DovecotServer) -> None:
    """mark_seen sets \\Seen so the message leaves the unseen list."""
    dovecot_server.deliver(_raw(1))
    dovecot_server.deliver(_raw(2))
    with ImapMailbox(_config(dovecot_server)) as box:
        box.mark_seen(1)
        assert box.uids_unseen() == [2]
    assert "\\Seen" in dovecot_server.flags()[1]


def test_move_creates_the_folder(dovecot_server: DovecotServer) -> None:
    """move() creates a missing (even non-ASCII) folder and the message arrives there."""
    dovecot_server.deliver(_raw(1))
    dovecot_server.deliver(_raw(2))
    with ImapMailbox(_config(dovecot_server)) as box:
        box.move(1, "已处理")
        box.move(2, "已处理")  # the folder exists now
        assert box.uids_all() == []
    assert encode_folder("已处理").strip('"') in dovecot_server.folders()
    assert sorted(dovecot_server.flags(encode_folder("已处理").strip('"'))) == [1, 2]


def test_move_without_the_move_extension_copies_and_expunges(dovecot_server: DovecotServer) -> None:
    """Servers without MOVE get COPY + \\Deleted + EXPUNGE."""
    dovecot_server.deliver(_raw(1))
    with ImapMailbox(_config(dovecot_server)) as box:
        box._caps.discard("MOVE")
        box.move(1, "Processed")
        assert box.uids_all() == []
    assert list(dovecot_server.flags("Processed")) == [1]


def test_delete(dovecot_server: DovecotServer) -> None:
    """delete() removes only that message."""
    for n in (1, 2, 3):
        dovecot_server.deliver(_raw(n))
    with ImapMailbox(_config(dovecot_server)) as box:
        box.delete(2)
        assert box.uids_all() == [1, 3]


def test_uidvalidity_is_stable_across_connections(dovecot_server: DovecotServer) -> None:
    """The same folder reports the same UIDVALIDITY each time, so a UID ledger stays valid."""
    dovecot_server.deliver(_raw(1))
    with ImapMailbox(_config(dovecot_server)) as first:
        validity = first.uidvalidity
    with ImapMailbox(_config(dovecot_server)) as second:
        assert second.uidvalidity == validity > 0


def test_connection_dropped_mid_session_raises_imap_error(dovecot_server: DovecotServer) -> None:
    """When the server goes away between calls, the next call raises ImapError, not a socket error."""
    dovecot_server.deliver(_raw(1))
    with ImapMailbox(_config(dovecot_server)) as box:
        assert box.uids_all() == [1]
        dovecot_server.stop()
        with pytest.raises(ImapError):
            box.fetch(1)


def test_wrong_password_raises_imap_error(dovecot_server: DovecotServer) -> None:
    """A refused login is an ImapError naming the user."""
    with pytest.raises(ImapError, match="login as support"):
        with ImapMailbox(_config(dovecot_server, password="wrong")):
            pass


def test_nothing_listening_raises_imap_error(dovecot_server: DovecotServer) -> None:
    """A closed port is an ImapError, not ConnectionRefusedError."""
    dovecot_server.stop()
    with pytest.raises(ImapError, match="could not connect"):
        with ImapMailbox(_config(dovecot_server)):
            pass


def test_fetch_of_a_vanished_uid_raises_imap_error(dovecot_server: DovecotServer) -> None:
    """A UID that is gone is reported clearly."""
    dovecot_server.deliver(_raw(1))
    with ImapMailbox(_config(dovecot_server)) as box:
        with pytest.raises(ImapError, match="UID 9"):
            box.fetch(9)


def test_missing_folder_raises_imap_error(dovecot_server: DovecotServer) -> None:
    """Selecting a folder that does not exist fails at open with ImapError."""
    with pytest.raises(ImapError, match="select"):
        with ImapMailbox(_config(dovecot_server, folder="Nope")):
            pass


def test_modified_utf7_folder_names() -> None:
    """Folder names are encoded as RFC 3501 modified UTF-7 and quoted."""
    assert encode_folder("INBOX") == '"INBOX"'
    assert encode_folder("已处理") == '"&XfJZBHQG-"'
    assert encode_folder("A&B") == '"A&-B"'
