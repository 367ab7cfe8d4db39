"""The contract's commands (triage-contract.md §3): ingest_email and export_tickets, and the demo loader."""

import io
import json
import mailbox
import sys

import pytest
from django.core.management import CommandError, call_command

from tickets.models import Ticket

from .factories import build_email

pytestmark = pytest.mark.django_db(transaction=True)


def _run(*args, stdin: bytes | None = None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_eml_mbox_maildir_and_stdin_are_all_read(tmp_path, monkeypatch):
    eml = tmp_path / "one.eml"
    eml.write_bytes(build_email(message_id="<e1@x>", subject="from eml"))
    box = mailbox.mbox(tmp_path / "box.mbox")
    for n in range(3):
        box.add(build_email(message_id="<mb%d@x>" % n, subject="from mbox %d" % n))
    box.flush()
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(build_email(message_id="<md@x>", subject="from maildir"))

    out, err = _run("ingest_email", "--no-progress", str(eml), str(tmp_path / "box.mbox"), str(tmp_path / "Maildir"))
    assert "ingested 5" in out
    out, _ = _run("ingest_email", "-", stdin=build_email(message_id="<in@x>", subject="from stdin"),
                  monkeypatch=monkeypatch)
    assert "ingested 1" in out
    assert Ticket.objects.count() == 6
    assert not Ticket.objects.exclude(status="triaged").exists(), "embedded default: triaged on return"


def test_duplicates_and_unreadable_messages_are_named_on_stderr(tmp_path):
    eml = tmp_path / "one.eml"
    eml.write_bytes(build_email(message_id="<dup@x>"))
    _run("ingest_email", str(eml))
    out, err = _run("ingest_email", str(eml), str(tmp_path / "missing.eml"))
    assert "duplicate" in err and "missing.eml" in err
    assert "duplicates 1" in out
    assert Ticket.objects.count() == 1


def test_nothing_readable_at_all_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="nothing could be read"):
        _run("ingest_email", str(tmp_path / "nope.eml"))


def test_a_reply_is_threaded_not_a_new_ticket(tmp_path):
    first = tmp_path / "a.eml"
    first.write_bytes(build_email(message_id="<t1@x>"))
    reply = tmp_path / "b.eml"
    reply.write_bytes(build_email(message_id="<t2@x>", headers={"In-Reply-To": "<t1@x>"}))
    out, _ = _run("ingest_email", str(first), str(reply))
    assert "ingested 1, threaded 1" in out
    assert Ticket.objects.count() == 1


def test_export_prints_one_object_per_ticket_in_the_contract_shape(tmp_path):
    from demo.images import make_id_document

    eml = tmp_path / "a.eml"
    eml.write_bytes(build_email(message_id="<x1@x>", subject="护照照片反光", body="照片反光，认证失败",
                                attachments=[("passport.jpg", make_id_document(defects=("glare",)), "image/jpeg")]))
    eml2 = tmp_path / "b.eml"
    eml2.write_bytes(build_email(message_id="<x2@x>", subject="under review", body="still under review"))
    _run("ingest_email", str(eml), str(eml2))
    out_file = tmp_path / "out.jsonl"
    _run("export_tickets", "--format", "jsonl", "--output", str(out_file))
    rows = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert [r["message_id"] for r in rows] == ["<x1@x>", "<x2@x>"]
    row = rows[0]
    for key in ("id", "message_id", "from", "subject", "received_at", "language", "status", "categories",
                "attachments", "suggested_replies"):
        assert key in row
    assert row["from"] == "ann@example.com" and row["language"] == "zh" and row["status"] == "triaged"
    top = row["categories"][0]
    assert top["code"] == "document_requirements" and 0 <= top["confidence"] <= 1 and top["evidence"]
    confidences = [c["confidence"] for c in row["categories"]]
    assert confidences == sorted(confidences, reverse=True)
    attachment = row["attachments"][0]
    assert attachment == {**attachment, "filename": "passport.jpg", "content_type": "image/jpeg",
                          "kind": "id_document"}
    assert "glare" in attachment["defects"] and "sharpness" in attachment["metrics"]
    reply = row["suggested_replies"][0]
    assert reply["template"] == "document_requirements.glare" and reply["language"] == "zh"
    assert set(reply) == {"template", "language", "subject", "body"}


def test_the_demo_loads_at_least_ten_triaged_tickets():
    out, _ = _run("load_demo")
    assert Ticket.objects.count() >= 10
    assert not Ticket.objects.exclude(status="triaged").exists()
    assert "admin" in out


def test_a_message_that_cannot_be_stored_is_named_and_the_run_goes_on(tmp_path, monkeypatch):
    import tickets.management.commands.ingest_email as command

    real = command.message_ingest
    calls = {"n": 0}

    def flaky(raw, source="", **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("No space left on device")
        return real(raw, source=source, **kwargs)

    monkeypatch.setattr(command, "message_ingest", flaky)
    first, second = tmp_path / "a.eml", tmp_path / "b.eml"
    first.write_bytes(build_email(message_id="<s1@x>"))
    second.write_bytes(build_email(message_id="<s2@x>"))
    out, err = _run("ingest_email", str(first), str(second))
    assert "a.eml: could not be stored" in err and "No space left" in err
    assert "ingested 1" in out and "failed 1" in out


def test_a_ticket_in_wording_no_rule_knows_is_placed_by_the_shipped_base_model_through_to_the_export(tmp_path):
    """No rule knows "date of birth on the profile is wrong": before the base model it was "other"."""
    eml = tmp_path / "a.eml"
    eml.write_bytes(build_email(message_id="<b1@x>", subject="profile",
                                body="my date of birth on the profile is wrong, it shows 1990 instead of 1991"))
    _run("ingest_email", str(eml))
    out_file = tmp_path / "out.jsonl"
    _run("export_tickets", "--format", "jsonl", "--output", str(out_file))
    row = json.loads(out_file.read_text().splitlines()[0])
    top = row["categories"][0]
    assert top["code"] == "identity_info_error" and top["confidence"] >= 0.5
    assert any(e.startswith("base model v") and "decided where the rules found no cause" in e
               for e in top["evidence"])
    stored = Ticket.objects.get().categories.get(code="identity_info_error")
    assert stored.applied and any(r["source"] == "base_model" for r in stored.evidence)
