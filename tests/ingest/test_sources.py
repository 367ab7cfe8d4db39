"""iter_raw_messages reads every kind of input one message at a time and names what it could not read."""
from __future__ import annotations

import io
import mailbox
from pathlib import Path

from tickets.ingest.sources import iter_raw_messages

MESSAGE = b"From: a@example.com\nSubject: %s\nMessage-ID: <%s@example.com>\n\nbody %s\n"


def _msg(n: int) -> bytes:
    return MESSAGE.replace(b"%s", str(n).encode())


def test_single_eml_file(tmp_path: Path) -> None:
    """An .eml is one message labelled with its path."""
    path = tmp_path / "one.eml"
    path.write_bytes(_msg(1))
    (item,) = list(iter_raw_messages(str(path)))
    assert item.label == str(path) and item.raw == _msg(1) and item.error == ""


def test_mbox_with_three_messages_is_streamed(tmp_path: Path) -> None:
    """An mbox is detected by its first line, split into messages, and >From unescaped."""
    path = tmp_path / "inbox"  # no extension: detection is by content
    body = b"".join(
        b"From sender@example.com Thu Nov 26 08:00:0%d 2026\n" % n + _msg(n) + b">From the escaped line\n\n"
        for n in range(1, 4)
    )
    path.write_bytes(body)
    iterator = iter_raw_messages(str(path))
    first = next(iterator)  # a generator: the first message comes before the rest is split
    assert first.label == "%s#1" % path
    rest = list(iterator)
    assert [i.label for i in rest] == ["%s#2" % path, "%s#3" % path]
    assert first.raw == _msg(1) + b"From the escaped line\n"


def test_maildir_new_and_cur(tmp_path: Path) -> None:
    """A Maildir gives its delivered messages from new/ and cur/."""
    box = mailbox.Maildir(str(tmp_path / "Maildir"), create=True)
    box.add(_msg(1))
    seen = mailbox.MaildirMessage(_msg(2))
    seen.set_subdir("cur")
    box.add(seen)
    items = list(iter_raw_messages(str(tmp_path / "Maildir")))
    assert sorted(i.raw for i in items) == [_msg(1), _msg(2)]
    assert {Path(i.label).parent.name for i in items} == {"new", "cur"}


def test_stdin() -> None:
    """"-" reads one message from the given stream."""
    (item,) = list(iter_raw_messages("-", stdin=io.BytesIO(_msg(5))))
    assert item.label == "<stdin>" and item.raw == _msg(5)


def test_empty_stdin_is_an_error_item() -> None:
    """Empty standard input is reported, not parsed."""
    (item,) = list(iter_raw_messages("-", stdin=io.BytesIO(b"")))
    assert item.raw is None and "empty" in item.error


def test_missing_path_gives_one_error_item(tmp_path: Path) -> None:
    """A path that does not exist is one RawItem with the reason."""
    (item,) = list(iter_raw_messages(str(tmp_path / "nope.eml")))
    assert item.raw is None and "no such file" in item.error


def test_plain_folder_is_walked_recursively(tmp_path: Path) -> None:
    """A folder that is not a Maildir: every file below it, mboxes split."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.eml").write_bytes(_msg(1))
    (tmp_path / "sub" / "b.mbox").write_bytes(
        b"From x@example.com Thu Nov 26 08:00:00 2026\n" + _msg(2) + b"\nFrom x@example.com Thu Nov 26 08:00:01 2026\n" + _msg(3)
    )
    labels = [i.label for i in iter_raw_messages(str(tmp_path))]
    assert labels == [str(tmp_path / "a.eml"), "%s#1" % (tmp_path / "sub" / "b.mbox"), "%s#2" % (tmp_path / "sub" / "b.mbox")]


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An OSError while opening becomes an error item, not an exception."""
    import builtins

    path = tmp_path / "locked.eml"
    path.write_bytes(_msg(1))
    real_open = builtins.open

    def failing_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", failing_open)
    (item,) = list(iter_raw_messages(str(path)))
    assert item.raw is None and "Permission denied" in item.error
