"""Read raw messages from files, mboxes, Maildirs and stdin one at a time, so big archives never fill memory."""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

# A real mbox separator: "From sender date...". A body line "From time to time" is not one.
_FROM_LINE = re.compile(rb"^From \S+\s.*(\d{1,2}:\d{2}|\d{4})")
_ESCAPED_FROM = re.compile(rb"^>(>*From )")


@dataclass(frozen=True)
class RawItem:
    """One message's bytes with a label people recognise, or the reason it could not be read."""

    label: str
    raw: bytes | None
    error: str = ""


def _is_maildir(path: str) -> bool:
    """A folder with cur/ and new/ is a Maildir."""
    return os.path.isdir(os.path.join(path, "cur")) and os.path.isdir(os.path.join(path, "new"))


def _read_error(label: str, exc: OSError) -> RawItem:
    """A RawItem saying why a file could not be read."""
    return RawItem(label=label, raw=None, error=exc.strerror or str(exc))


def _iter_mbox(handle: BinaryIO, path: str) -> Iterator[RawItem]:
    """Split an mbox stream into messages, one message in memory at a time."""
    lines: list[bytes] = []
    number = 0
    previous_blank = True
    started = False
    for line in handle:
        if previous_blank and line.startswith(b"From ") and (_FROM_LINE.match(line) or not started):
            if started:
                number += 1
                yield _mbox_item(path, number, lines)
            lines = []
            started = True
            previous_blank = False
            continue
        stripped = line.rstrip(b"\r\n")
        previous_blank = stripped == b""
        lines.append(_ESCAPED_FROM.sub(rb"\1", line))
    if started:
        number += 1
        yield _mbox_item(path, number, lines)


def _mbox_item(path: str, number: int, lines: list[bytes]) -> RawItem:
    """One message of an mbox, without the blank line that separates it from the next."""
    if lines and lines[-1].strip() == b"":
        lines = lines[:-1]
    label = "%s#%d" % (path, number)
    raw = b"".join(lines)
    if not raw.strip():
        return RawItem(label=label, raw=None, error="empty message in mbox")
    return RawItem(label=label, raw=raw)


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
