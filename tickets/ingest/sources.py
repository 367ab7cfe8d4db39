"""Read raw messages from files, mboxes, Maildirs and stdin one at a time, so big archives never fill memory."""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import BinaryIO

_BOM = b"\xef\xbb\xbf"
# A classic mbox separator after a blank line: "From sender date...". A body line "From time to time" is not one.
_FROM_LINE = re.compile(rb"^From \S+\s.*(\d{1,2}:\d{2}|\d{4})")
# "From <id>@host" or "From MAILER-DAEMON" with no date, as some archivers write them.
_DATELESS_FROM_LINE = re.compile(rb"^From (\S*@\S+|MAILER-DAEMON)\s*$")
# Weekday and time: a separator even when the previous message did not end with a blank line.
_DATED_FROM_LINE = re.compile(rb"^From \S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +.*\d{1,2}:\d{2}")
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d{1,12})[ \t]*\r?\n?$", re.IGNORECASE)
_ESCAPED_FROM = re.compile(rb"^>(>*From )")


@dataclass(frozen=True)
class RawItem:
    """One message's bytes with a label people recognise, or the reason it could not be read.

    received_at: when the message reached us, when the source says so (the date of an mbox "From " line);
    mbox: the mbox file the message came from, so callers can say how many messages each file held.
    """

    label: str
    raw: bytes | None
    error: str = ""
    received_at: datetime | None = None
    mbox: str = ""


def _is_maildir(path: str) -> bool:
    """A folder with cur/ and new/ is a Maildir."""
    return os.path.isdir(os.path.join(path, "cur")) and os.path.isdir(os.path.join(path, "new"))


def _read_error(label: str, exc: OSError) -> RawItem:
    """A RawItem saying why a file could not be read."""
    return RawItem(label=label, raw=None, error=exc.strerror or str(exc))


class _LineReader:
    """Lines of a binary file with one line of look-ahead, and exact reads for Content-Length bodies."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self._peeked: bytes | None = None
        self._peeked_at = 0

    def readline(self) -> bytes:
        if self._peeked is not None:
            line, self._peeked = self._peeked, None
            return line
        return self.handle.readline()

    def peek(self) -> bytes:
        if self._peeked is None:
            self._peeked_at = self.handle.tell()
            self._peeked = self.handle.readline()
        return self._peeked

    def tell(self) -> int:
        return self._peeked_at if self._peeked is not None else self.handle.tell()

    def seek(self, position: int) -> None:
        self._peeked = None
        self.handle.seek(position)

    def read(self, size: int) -> bytes:
        self.seek(self.tell())
        return self.handle.read(size)


def is_mbox_separator(line: bytes, next_line: bytes, previous_blank: bool) -> bool:
    """Whether a "From " line starts a new message (mboxo/mboxrd, with or without a date)."""
    if not line.startswith(b"From "):
        return False
    next_is_header = bool(_HEADER_LINE.match(next_line))
    if previous_blank and _FROM_LINE.match(line):
        return True
    if previous_blank and _DATELESS_FROM_LINE.match(line) and next_is_header:
        return True
    return bool(_DATED_FROM_LINE.match(line)) and next_is_header


def from_line_date(line: bytes) -> datetime | None:
    """The delivery time an mbox "From sender date" line records (UTC when it has no zone), or None."""
    from .headers import parse_date

    parts = line.split(None, 2)
    if len(parts) < 3:
        return None
    parsed = parse_date(parts[2].decode("ascii", errors="replace").strip())
    if parsed is None or not 1990 <= parsed.year <= datetime.now(timezone.utc).year + 1:
        return None
    return parsed


def _body_by_length(reader: _LineReader, length: int) -> tuple[bytes, bytes] | None:
    """(body, next "From " line or b"") when exactly `length` bytes end the message, else None (rewound)."""
    start = reader.tell()
    body = reader.read(length)
    if len(body) == length:
        following = reader.readline()
        while following.strip() == b"" and following:
            following = reader.readline()
        if not following or following.startswith(b"From "):
            return body, following
    reader.seek(start)
    return None


def _read_mbox_message(reader: _LineReader) -> tuple[list[bytes], bytes]:
    """The lines of one message up to the next separator; returns (lines, next "From " line or b"")."""
    lines: list[bytes] = []
    in_headers = True
    previous_blank = False
    content_length = None
    while True:
        line = reader.readline()
        if not line:
            return lines, b""
        if line.startswith(b"From ") and is_mbox_separator(line, reader.peek(), previous_blank):
            return lines, line
        if in_headers and line.strip() == b"":
            in_headers = False
            lines.append(line)
            if content_length is not None:
                found = _body_by_length(reader, content_length)
                if found is not None:
                    lines.append(found[0])
                    return lines, found[1]
            previous_blank = True
            continue
        if in_headers:
            match = _CONTENT_LENGTH.match(line)
            if match:
                content_length = int(match.group(1))
        lines.append(_ESCAPED_FROM.sub(rb"\1", line))
        previous_blank = line.strip() == b""


def _iter_mbox(handle: BinaryIO, path: str) -> Iterator[RawItem]:
    """Split an mbox stream into messages, one message in memory at a time; every separator yields an item."""
    reader = _LineReader(handle)
    from_line = reader.readline()
    if from_line.startswith(_BOM):
        from_line = from_line[len(_BOM):]
    number = 0
    while from_line:
        number += 1
        lines, next_from = _read_mbox_message(reader)
        yield _mbox_item(path, number, lines, from_line_date(from_line))
        from_line = next_from


def _mbox_item(path: str, number: int, lines: list[bytes], received_at: datetime | None = None) -> RawItem:
    """One message of an mbox, without the blank line that separates it from the next."""
    if lines and lines[-1].strip() == b"":
        lines = lines[:-1]
    label = "%s#%d" % (path, number)
    raw = b"".join(lines)
    if not raw.strip():
        return RawItem(label=label, raw=None, error="empty message in mbox", mbox=path)
    return RawItem(label=label, raw=raw, received_at=received_at, mbox=path)


def _iter_file(path: str) -> Iterator[RawItem]:
    """A single message, or every message when the file is an mbox."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is exhausted
    except OSError as exc:
        yield _read_error(path, exc)
        return
    with handle:
        try:
            first = handle.readline()
            handle.seek(0)
            if first.startswith(_BOM):  # a byte-order mark before the first header or "From " line
                first = first[len(_BOM):]
                handle.seek(len(_BOM))
            if first.startswith(b"From "):
                yield from _iter_mbox(handle, path)
                return
            yield RawItem(label=path, raw=handle.read())
        except OSError as exc:
            yield _read_error(path, exc)


def _iter_maildir(path: str) -> Iterator[RawItem]:
    """Delivered messages of a Maildir (new/ then cur/; tmp/ holds deliveries still being written)."""
    for sub in ("new", "cur"):
        folder = os.path.join(path, sub)
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            yield _read_error(folder, exc)
            continue
        for name in names:
            full = os.path.join(folder, name)
            if name.startswith(".") or not os.path.isfile(full):
                continue
            try:
                with open(full, "rb") as handle:
                    yield RawItem(label=full, raw=handle.read())
            except OSError as exc:
                yield _read_error(full, exc)


def _iter_tree(path: str) -> Iterator[RawItem]:
    """Every regular file under a folder that is not a Maildir, each as mbox or single message."""
    for root, dirs, files in os.walk(path, onerror=None, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            if name.startswith(".") or not os.path.isfile(full) or os.path.islink(full):
                continue
            yield from _iter_file(full)


def iter_raw_messages(path: str, stdin: BinaryIO | None = None) -> Iterator[RawItem]:
    """Raw messages found at path: an .eml, an mbox, a Maildir, a folder of those, or "-" for stdin."""
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            data = stream.read()
        except OSError as exc:
            yield _read_error("<stdin>", exc)
            return
        if not data:
            yield RawItem(label="<stdin>", raw=None, error="standard input was empty")
        else:
            yield RawItem(label="<stdin>", raw=data)
        return
    if not os.path.exists(path):
        yield RawItem(label=path, raw=None, error="no such file or directory")
        return
    if os.path.isdir(path):
        if _is_maildir(path):
            yield from _iter_maildir(path)
        else:
            yield from _iter_tree(path)
        return
    yield from _iter_file(path)
