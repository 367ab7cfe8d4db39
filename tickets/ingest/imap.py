"""All IMAP talk in one handler class, so the poller task stays a thin doorway and the ledger stays in the caller."""
from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType

logger = logging.getLogger(__name__)

_UID = re.compile(rb"UID (\d+)")
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


@dataclass(frozen=True)
class ImapConfig:
    """Where and how to log in; security is "ssl", "starttls" or "none"."""

    host: str
    port: int
    security: str
    username: str
    password: str
    folder: str = "INBOX"
    timeout: float = 30.0


@dataclass(frozen=True)
class FetchedMail:
    """One message's raw bytes, its UID in the folder and when the server received it (INTERNALDATE)."""

    uid: int
    raw: bytes
    internal_date: datetime | None = None


def parse_internaldate(response: bytes) -> datetime | None:
    """The INTERNALDATE of a FETCH response ("02-Dec-2026 03:00:00 +0000") as an aware datetime, or None."""
    match = _INTERNALDATE.search(response or b"")
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1).decode("ascii").strip(), "%d-%b-%Y %H:%M:%S %z")
    except (UnicodeDecodeError, ValueError):
        return None


class ImapError(Exception):
    """A transient IMAP problem (connection, login, protocol); worth retrying later."""


def encode_folder(name: str) -> str:
    """Folder name in IMAP's modified UTF-7 (RFC 3501 5.1.3), quoted for a command."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode("ascii").rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    encoded = "".join(out)
    return '"%s"' % encoded.replace("\\", "\\\\").replace('"', '\\"')


class ImapMailbox:
    """One logged-in connection with one folder selected; use as a context manager."""

    uidvalidity: int

    def __init__(self, config: ImapConfig) -> None:
        self.config = config
        self.uidvalidity = 0
        self._conn = None  # type: ignore[var-annotated]
        self._caps: set[str] = set()

    def __enter__(self) -> ImapMailbox:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _call(self, what: str, func, *args):  # type: ignore[no-untyped-def]
        """Run one imaplib call and turn every failure into ImapError saying what was being done."""
        import imaplib
        import ssl

        if self._conn is None:
            raise ImapError("%s: not connected to %s" % (what, self.config.host))
        try:
            typ, data = func(*args)
        except (imaplib.IMAP4.error, OSError, ssl.SSLError, EOFError, ValueError) as exc:
            raise ImapError("%s failed on %s:%d: %s" % (what, self.config.host, self.config.port, exc or type(exc).__name__)) from exc
        if typ != "OK":
            detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
            raise ImapError("%s refused by %s: %s %s" % (what, self.config.host, typ, detail))
        return data

    def open(self) -> None:
        """Connect, log in and select the folder."""
        import imaplib
        import ssl

        cfg = self.config
        try:
            if cfg.security == "ssl":
                conn = imaplib.IMAP4_SSL(cfg.host, cfg.port, ssl_context=ssl.create_default_context(), timeout=cfg.timeout)
            elif cfg.security in ("starttls", "none"):
                conn = imaplib.IMAP4(cfg.host, cfg.port, timeout=cfg.timeout)
                if cfg.security == "starttls":
                    conn.starttls(ssl_context=ssl.create_default_context())
            else:
                raise ImapError("unknown IMAP security %r; use ssl, starttls or none" % cfg.security)
        except (imaplib.IMAP4.error, OSError, ssl.SSLError, EOFError) as exc:
            raise ImapError("could not connect to %s:%d: %s" % (cfg.host, cfg.port, exc)) from exc
        self._conn = conn
        try:
            self._call("login as %s" % cfg.username, conn.login, cfg.username, cfg.password)
            data = self._call("capability", conn.capability)
            self._caps = {c.upper() for c in b" ".join(d for d in data if isinstance(d, bytes)).decode().split()}
            self._select(cfg.folder)
        except ImapError:
            self.close()
            raise

    def _select(self, folder: str) -> None:
        """Select a folder read-write and remember its UIDVALIDITY."""
        conn = self._conn
        self._call("select %s" % folder, conn.select, encode_folder(folder))
        _code, data = conn.response("UIDVALIDITY")
        value = data[-1] if data and data[-1] is not None else None
        if value is None:
            status = self._call("status %s" % folder, conn.status, encode_folder(folder), "(UIDVALIDITY)")
            match = re.search(rb"UIDVALIDITY (\d+)", status[0] or b"")
            value = match.group(1) if match else b"0"
        self.uidvalidity = int(value)

    def close(self) -> None:
        """Log out quietly; the connection may already be gone."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.logout()
        except Exception:  # noqa: BLE001 - closing a dead connection must not hide the real error
            logger.debug("IMAP logout from %s failed", self.config.host, exc_info=True)

    def _search(self, criteria: str) -> list[int]:
        """UIDs matching a SEARCH criteria, sorted."""
        data = self._call("search %s" % criteria, self._conn.uid, "SEARCH", criteria)
        uids: list[int] = []
        for chunk in data:
            if isinstance(chunk, bytes):
                uids.extend(int(x) for x in chunk.split() if x.isdigit())
        return sorted(set(uids))

    def uids_unseen(self) -> list[int]:
        """UIDs of messages without \\Seen."""
        return self._search("UNSEEN")

    def uids_all(self) -> list[int]:
        """UIDs of every message in the folder."""
        return self._search("ALL")

    def fetch(self, uid: int) -> FetchedMail:
        """The raw message and its arrival time, read with BODY.PEEK so it stays unseen until mark_seen."""
        data = self._call("fetch UID %d" % uid, self._conn.uid, "FETCH", str(int(uid)), "(INTERNALDATE BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
                match = _UID.search(item[0])
                if match is None or int(match.group(1)) == uid:
                    return FetchedMail(uid=uid, raw=item[1], internal_date=parse_internaldate(item[0]))
        raise ImapError("message UID %d is not in %s any more" % (uid, self.config.folder))

    def _store(self, uid: int, flags: str) -> None:
        """Add flags to one message."""
        self._call("store %s on UID %d" % (flags, uid), self._conn.uid, "STORE", str(int(uid)), "+FLAGS.SILENT", flags)

    def mark_seen(self, uid: int) -> None:
        """Flag a message \\Seen."""
        self._store(uid, "(\\Seen)")

    def _capabilities(self) -> set[str]:
        """Server capabilities in upper case."""
        return self._caps | {c.upper() for c in getattr(self._conn, "capabilities", ())}

    def _expunge(self, uid: int) -> None:
        """Remove a \\Deleted message, only that one when the server has UIDPLUS."""
        if "UIDPLUS" in self._capabilities():
            self._call("expunge UID %d" % uid, self._conn.uid, "EXPUNGE", str(int(uid)))
        else:
            self._call("expunge", self._conn.expunge)

    def ensure_folder(self, folder: str) -> None:
        """Create a folder unless it exists."""
        data = self._call("list %s" % folder, self._conn.list, '""', encode_folder(folder))
        if any(isinstance(d, bytes) and d for d in data):
            return
        self._call("create %s" % folder, self._conn.create, encode_folder(folder))
        try:
            self._conn.subscribe(encode_folder(folder))
        except Exception:  # noqa: BLE001 - subscribing is a nicety for mail clients
            logger.debug("IMAP subscribe to %s failed", folder, exc_info=True)

    def move(self, uid: int, folder: str) -> None:
        """Move a message to another folder (created if missing); MOVE when offered, else COPY and delete."""
        self.ensure_folder(folder)
        if "MOVE" in self._capabilities():
            self._call("move UID %d to %s" % (uid, folder), self._conn.uid, "MOVE", str(int(uid)), encode_folder(folder))
            return
        self._call("copy UID %d to %s" % (uid, folder), self._conn.uid, "COPY", str(int(uid)), encode_folder(folder))
        self.delete(uid)

    def delete(self, uid: int) -> None:
        """Flag a message \\Deleted and expunge it."""
        self._store(uid, "(\\Deleted)")
        self._expunge(uid)
