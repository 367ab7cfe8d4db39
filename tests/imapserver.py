"""A throwaway Dovecot IMAP server for tests, because a fake server would not catch real protocol mistakes."""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest

_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = kyctriage-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{root}/mail/%u/Maildir
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = 1
first_valid_gid = 1
default_login_user = {login_user}
default_internal_user = {internal_user}
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
"""


def dovecot_binary() -> str | None:
    """Path of the dovecot binary, or None when it is not installed."""
    return shutil.which("dovecot") or (os.path.exists("/usr/sbin/dovecot") and "/usr/sbin/dovecot") or None


def _free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _user(name: str, fallback: str) -> str:
    """A system user that exists."""
    try:
        pwd.getpwnam(name)
        return name
    except KeyError:
        return fallback


class DovecotServer:
    """Start, feed and stop a private Dovecot on 127.0.0.1 with one plaintext user and a Maildir."""

    def __init__(self, username: str = "support", password: str = "secret") -> None:
        self.username = username
        self.password = password
        self.host = "127.0.0.1"
        self.port = 0
        self.root = ""
        self.process: subprocess.Popen[bytes] | None = None
        self._counter = 0

    @property
    def maildir(self) -> str:
        """The user's Maildir (INBOX)."""
        return os.path.join(self.root, "mail", self.username, "Maildir")

    @property
    def config_path(self) -> str:
        """The dovecot.conf this server runs with."""
        return os.path.join(self.root, "dovecot.conf")

    def start(self) -> DovecotServer:
        """Write the config and start dovecot in the foreground; returns when it accepts connections."""
        binary = dovecot_binary()
        if binary is None:
            raise RuntimeError("dovecot is not installed (apt-get install dovecot-imapd)")
        self.root = tempfile.mkdtemp(prefix="kyctriage-dovecot-")
        os.chmod(self.root, 0o755)
        nobody = pwd.getpwnam("nobody")
        self.port = _free_port()
        for sub in ("run", "state"):
            os.makedirs(os.path.join(self.root, sub))
        self._make_maildir(self.maildir)
        with open(os.path.join(self.root, "passwd"), "w", encoding="utf-8") as handle:
            handle.write("%s:{PLAIN}%s:::::\n" % (self.username, self.password))
        with open(self.config_path, "w", encoding="utf-8") as handle:
            handle.write(
                _CONFIG.format(
                    root=self.root,
                    port=self.port,
                    uid=nobody.pw_uid,
                    gid=nobody.pw_gid,
                    login_user=_user("dovenull", "nobody"),
                    internal_user=_user("dovecot", "nobody"),
                )
            )
        return self._launch()

    def restart(self) -> DovecotServer:
        """Start again on the same port and Maildir after stop(), as a server coming back from an outage."""
        self.stop()
        return self._launch()

    def _launch(self) -> DovecotServer:
        binary = dovecot_binary()
        self.process = subprocess.Popen(
            [binary, "-F", "-c", self.config_path],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode("utf-8", "replace") if self.process.stderr else ""
                raise RuntimeError("dovecot exited at start: %s %s" % (error, self.log()))
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.01)
        self.stop()
        raise RuntimeError("dovecot did not accept connections on port %d: %s" % (self.port, self.log()))

    def _make_maildir(self, path: str) -> None:
        """A Maildir owned by nobody, as dovecot expects with mail_uid = nobody."""
        nobody = pwd.getpwnam("nobody")
        for sub in ("", "cur", "new", "tmp"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        top = os.path.join(self.root, "mail")
        for dirpath, _dirs, files in os.walk(top):
            os.chown(dirpath, nobody.pw_uid, nobody.pw_gid)
            for name in files:
                os.chown(os.path.join(dirpath, name), nobody.pw_uid, nobody.pw_gid)

    def deliver(self, raw: bytes) -> str:
        """Drop a raw message into INBOX/new the way an MDA would; returns the file name."""
        nobody = pwd.getpwnam("nobody")
        self._counter += 1
        name = "%d.M%dP%d.kyctriage" % (time.time(), self._counter, os.getpid())
        tmp = os.path.join(self.maildir, "tmp", name)
        with open(tmp, "wb") as handle:
            handle.write(raw)
        os.chown(tmp, nobody.pw_uid, nobody.pw_gid)
        os.rename(tmp, os.path.join(self.maildir, "new", name))
        return name

    def client(self):  # type: ignore[no-untyped-def]
        """A logged-in imaplib client with INBOX selected read-only, for checking state."""
        import imaplib

        conn = imaplib.IMAP4(self.host, self.port, timeout=5)
        conn.login(self.username, self.password)
        return conn

    def flags(self, folder: str = "INBOX") -> dict[int, set[str]]:
        """UID -> flags of every message in a folder, read over a separate connection."""
        import re

        conn = self.client()
        try:
            typ, _ = conn.select('"%s"' % folder, readonly=True)
            if typ != "OK":
                return {}
            typ, data = conn.uid("FETCH", "1:*", "(UID FLAGS)")
            result: dict[int, set[str]] = {}
            for line in data:
                if not isinstance(line, bytes):
                    continue
                uid = re.search(rb"UID (\d+)", line)
                flags = re.search(rb"FLAGS \(([^)]*)\)", line)
                if uid:
                    result[int(uid.group(1))] = set(flags.group(1).decode().split()) if flags else set()
            return result
        finally:
            conn.logout()

    def folders(self) -> list[str]:
        """Names of the user's folders."""
        conn = self.client()
        try:
            _typ, data = conn.list()
            return [line.decode().rsplit(" ", 1)[-1].strip('"') for line in data if isinstance(line, bytes)]
        finally:
            conn.logout()

    def log(self) -> str:
        """The server log, for failure messages."""
        try:
            with open(os.path.join(self.root, "dovecot.log"), encoding="utf-8", errors="replace") as handle:
                return handle.read()[-2000:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server and every process of its session, dropping open connections."""
        process, self.process = self.process, None
        if process is None:
            return
        # dovecot, its login and imap processes all live in the session it was started in: signalling the
        # whole group at once lets the master reap its children without its one-second shutdown wait.
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            pass
        try:  # whatever is left (a master still waiting for a child) goes now
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait(timeout=5)
        if process.stderr:
            process.stderr.close()

    def cleanup(self) -> None:
        """Stop and remove the server's files."""
        self.stop()
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def dovecot_server() -> Iterator[DovecotServer]:
    """A running DovecotServer, removed after the test; skips when dovecot is not installed."""
    if dovecot_binary() is None:
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd) - IMAP tests need a real server")
    if os.geteuid() != 0:
        pytest.skip("the test Dovecot needs root to run its mail processes as nobody")
    server = DovecotServer()
    try:
        server.start()
    except RuntimeError as exc:
        server.cleanup()
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        server.cleanup()
