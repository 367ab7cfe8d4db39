"""Each sample message parses to the expected output stored beside it."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tickets.ingest.parser import ParsedMessage, parse_message

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "emails"
CASES = sorted(SAMPLES.glob("*.eml"))


def test_there_are_enough_samples_with_expectations() -> None:
    """Every sample has its expected output (and there are at least 15)."""
    assert len(CASES) >= 15
    missing = [p.name for p in CASES if not p.with_suffix("").with_suffix(".expected.json").exists()]
    assert not missing


def _check_snippets(message: ParsedMessage, expected: dict) -> None:
    """Compare the text snippets an expectation lists."""
    fields = {"text": message.text_body, "clean": message.text_clean, "html": message.html_sanitized}
    for field, value in fields.items():
        for snippet in expected.get("%s_contains" % field, []):
            assert snippet in value, "%s should contain %r" % (field, snippet)
        for snippet in expected.get("%s_not_contains" % field, []):
            assert snippet not in value, "%s should not contain %r" % (field, snippet)
    for snippet in expected.get("warnings_contain", []):
        assert any(snippet in w for w in message.warnings), "warnings should mention %r" % snippet


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_sample_matches_expected(path: Path) -> None:
    """Headers, attachments, auto-reply flag and text snippets match name.expected.json."""
    expected = json.loads(path.with_suffix("").with_suffix(".expected.json").read_text(encoding="utf-8"))
    message = parse_message(path.read_bytes())
    for key in ("message_id", "in_reply_to", "subject", "from_address", "from_name", "ticket_reference"):
        if key in expected:
            assert getattr(message, key) == expected[key], key
    if "references" in expected:
        assert list(message.references) == expected["references"]
    if "to_addresses" in expected:
        assert list(message.to_addresses) == expected["to_addresses"]
    if "date" in expected:
        want = datetime.fromisoformat(expected["date"]) if expected["date"] else None
        assert message.date == want
        assert message.date is None or message.date.tzinfo is not None
    if "auto_reply" in expected:
        assert bool(message.auto_reply_reason) == expected["auto_reply"], message.auto_reply_reason
    if "attachments" in expected:
        got = [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "is_inline": a.is_inline,
                "content_id": a.content_id,
                "skipped": bool(a.skipped_reason),
            }
            for a in message.attachments
        ]
        assert got == expected["attachments"]
    _check_snippets(message, expected)


def test_inline_screenshot_is_a_real_png_with_its_content_id(sample_bytes) -> None:  # type: ignore[no-untyped-def]
    """The cid: image is kept, decoded and linked from the sanitised HTML."""
    from io import BytesIO

    from PIL import Image

    message = parse_message(sample_bytes("inline_cid_screenshot.eml"))
    (shot,) = message.attachments
    assert shot.is_inline and shot.content_id == "shot1@example.com"
    assert shot.size == len(shot.payload) > 0
    assert Image.open(BytesIO(shot.payload)).size == (64, 32)
    assert "cid:%s" % shot.content_id in message.html_sanitized


def test_missing_message_id_is_derived_from_the_raw_bytes(sample_bytes) -> None:  # type: ignore[no-untyped-def]
    """Without a Message-ID the same bytes always get the same sha256-based id."""
    import hashlib

    raw = sample_bytes("missing_message_id.eml")
    assert parse_message(raw).message_id == "<%s@kyctriage.invalid>" % hashlib.sha256(raw).hexdigest()


def test_tnef_is_skipped_with_a_reason_and_its_size_kept(sample_bytes) -> None:  # type: ignore[no-untyped-def]
    """winmail.dat cannot be unpacked here: it is listed, skipped, and says why."""
    (tnef,) = parse_message(sample_bytes("winmail_tnef.eml")).attachments
    assert tnef.payload == b"" and tnef.size > 0
    assert "TNEF" in tnef.skipped_reason


def test_bounce_report_parts_are_not_attachments(sample_bytes) -> None:  # type: ignore[no-untyped-def]
    """delivery-status and rfc822-headers parts of a bounce are machine data, not files."""
    message = parse_message(sample_bytes("bounce_mailer_daemon.eml"))
    assert message.attachments == ()
    assert "mailer-daemon" in message.auto_reply_reason
