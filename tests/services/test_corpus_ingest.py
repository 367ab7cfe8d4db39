"""Every real-world message of the shared corpus is ingested or quarantined with a reason, through the command."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tickets.models import Attachment, IncomingMail, Ticket

pytestmark = pytest.mark.django_db(transaction=True)

CORPUS = Path(os.environ.get("KYCTRIAGE_CORPUS_DIR",
                             Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "emails"))


def _corpus_paths() -> list[str]:
    if not CORPUS.is_dir():
        pytest.skip("the shared email corpus is not at %s (set KYCTRIAGE_CORPUS_DIR); CI has it" % CORPUS)
    return [str(p) for p in sorted(CORPUS.iterdir()) if p.is_dir()]


def test_the_whole_corpus_is_ingested_or_quarantined_and_analysed_without_a_crash(capsys):
    paths = _corpus_paths()
    call_command("ingest_email", "--no-progress", *paths)
    out, err = capsys.readouterr()
    assert "ingested" in out

    states = dict(IncomingMail.objects.values_list("state").annotate().values_list("state", "id"))
    assert IncomingMail.objects.filter(state="received").count() == 0, "a message was left unprocessed"
    for incoming in IncomingMail.objects.filter(state__in=["quarantined", "ignored", "duplicate"]):
        assert incoming.reason, "no reason recorded for %s" % incoming.source
    assert Ticket.objects.count() > 100
    assert states
    # every ticket went through analysis and triage: nothing stuck, failures carry a reason
    assert not Ticket.objects.filter(status__in=["new", "processing"]).exists()
    for ticket in Ticket.objects.filter(status="failed"):
        assert ticket.status_reason
    assert not Attachment.objects.filter(analysis_status__in=["pending", "running"]).exists()

    tickets_before = Ticket.objects.count()
    call_command("ingest_email", "--no-progress", *paths)
    out, _ = capsys.readouterr()
    assert Ticket.objects.count() == tickets_before
    assert "ingested 0" in out
