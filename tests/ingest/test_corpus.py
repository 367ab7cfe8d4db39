"""Every third-party message in the shared robustness corpus parses or is refused with a reason; nothing crashes."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tickets.ingest.parser import ParsedMessage, UnparseableMessage, parse_message
from tickets.ingest.sources import iter_raw_messages


def corpus_dir() -> Path:
    """The corpus beside the checkout (../shared/corpus/emails), or KYCTRIAGE_CORPUS_DIR."""
    override = os.environ.get("KYCTRIAGE_CORPUS_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "emails"


def _index_paths() -> list[str]:
    """Relative paths listed in INDEX.tsv (empty when the corpus is absent)."""
    index = corpus_dir() / "INDEX.tsv"
    if not index.exists():
        return []
    lines = index.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    column = header.index("path")
    return [line.split("\t")[column] for line in lines[1:] if line.strip()]


PATHS = _index_paths()
# Files that are not RFC 5322 messages at all (see PROVENANCE.md): refused, with a reason.
NOT_MESSAGES = {"SpamScope-mail-parser/mail_outlook_1"}


def _require_corpus() -> Path:
    """Skip the test with a clear reason when the corpus is not there."""
    folder = corpus_dir()
    if not (folder / "INDEX.tsv").exists():
        pytest.skip("email corpus not found at %s (set KYCTRIAGE_CORPUS_DIR to its folder)" % folder)
    return folder


@pytest.mark.parametrize("relative", PATHS or ["<corpus absent>"])
def test_corpus_file_parses_or_is_refused_with_a_reason(relative: str) -> None:
    """Each message in the file yields a ParsedMessage or an UnparseableMessage with a reason; nothing else."""
    folder = _require_corpus()
    items = list(iter_raw_messages(str(folder / relative)))
    assert items, "no message read from %s" % relative
    for item in items:
        assert item.raw is not None, "%s: %s" % (item.label, item.error)
        try:
            parsed = parse_message(item.raw)
        except UnparseableMessage as exc:
            assert str(exc).strip(), "UnparseableMessage without a reason for %s" % item.label
            assert relative in NOT_MESSAGES, "%s refused: %s" % (item.label, exc)
            continue
        assert isinstance(parsed, ParsedMessage)
        assert parsed.message_id.startswith("<") and parsed.message_id.endswith(">")
        assert parsed.date is None or parsed.date.tzinfo is not None
        for attachment in parsed.attachments:
            assert attachment.filename and "/" not in attachment.filename and "\\" not in attachment.filename
            assert attachment.payload == b"" or len(attachment.payload) == attachment.size


def test_corpus_mboxes_are_split_into_their_messages() -> None:
    """complex.mbox holds three messages; the unescaped "From time to time" body line does not split."""
    folder = _require_corpus()
    complex_items = list(iter_raw_messages(str(folder / "apache-tika" / "complex.mbox")))
    assert [i.label.rsplit("#", 1)[1] for i in complex_items] == ["1", "2", "3"]
    (only,) = list(iter_raw_messages(str(folder / "cpython" / "mailbox_01.mbox")))
    assert b"From time to time" in (only.raw or b"")


def test_corpus_east_asian_special_cases() -> None:
    """Undeclared Big5, a Foxmail container and header names with spaces still give readable Chinese."""
    folder = _require_corpus()
    big5 = parse_message((folder / "jhillyerd-enmime/parts/chardet-success-big-5.raw").read_bytes())
    assert "顏氏家訓" in big5.text_body or "顏之推" in big5.text_body
    foxmail = parse_message((folder / "apache-tika/testFOXMAIL.box").read_bytes())
    assert "Foxmail" in foxmail.subject and foxmail.from_address == "foxmail@tencent.com"
    plain = parse_message((folder / "mnako-letters/test_chinese_plaintext_gbk_over_base64.txt").read_bytes())
    assert plain.text_body.startswith("石室诗士施氏")
