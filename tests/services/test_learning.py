"""Agents' corrections retrain the learned layer, which then changes a later prediction."""

import pytest

from tickets.models import Ticket, TriageModel
from tickets.services.corrections import category_assignment_changed
from tickets.services.learning import triage_model_retrain
from tickets.services.tickets import tickets_set_workflow

from ..factories import build_email

pytestmark = pytest.mark.django_db

# wording the rules do not know: the desk learns that "VIP tier" mails are about identity details
NEW_WORDING = "my VIP tier upgrade form was bounced back by the compliance team"


def _ticket(ingest, n: int, body: str) -> Ticket:
    outcome = ingest(build_email(message_id="<l%d@example.com>" % n, subject="question %d" % n, body=body))
    return Ticket.objects.get(pk=outcome.ticket_id)


def test_a_correction_changes_a_later_prediction(ingest):
    before = _ticket(ingest, 0, NEW_WORDING)
    assert "identity_info_error" not in set(before.categories.values_list("code", flat=True))

    for n in range(1, 41):
        ticket = _ticket(ingest, n, NEW_WORDING if n % 2 else "the review has been pending for days, any news?")
        if n % 2:
            for code in list(ticket.categories.values_list("code", flat=True)):
                category_assignment_changed(ticket, code, added=False)
            category_assignment_changed(ticket, "identity_info_error", added=True)
        else:  # closing a ticket confirms its categories
            tickets_set_workflow(Ticket.objects.filter(pk=ticket.pk), Ticket.Workflow.CLOSED)
    outcome = triage_model_retrain()
    assert outcome.trained, outcome.reason
    assert TriageModel.objects.get(is_active=True).version == outcome.version

    later = _ticket(ingest, 99, NEW_WORDING)
    assignment = later.categories.filter(code="identity_info_error").first()
    assert assignment is not None
    assert any(record["source"] == "model" for record in assignment.evidence)


def test_retraining_without_new_corrections_does_nothing(ingest):
    for n in range(12):
        ticket = _ticket(ingest, 100 + n, "the review has been pending for days" if n % 2 else "upload network error")
        category_assignment_changed(ticket, "other", added=True)
    first = triage_model_retrain()
    assert first.trained, first.reason
    second = triage_model_retrain()
    assert not second.trained and "not changed" in second.reason
    assert TriageModel.objects.count() == 1


def test_too_few_corrections_say_so(ingest):
    ticket = _ticket(ingest, 200, "hello")
    category_assignment_changed(ticket, "other", added=True)
    outcome = triage_model_retrain()
    assert not outcome.trained and "need at least" in outcome.reason


def test_a_new_version_that_does_not_beat_the_active_one_stays_inactive(ingest, admin_client):
    """Shadow evaluation: the candidate is scored on the most recent corrected tickets it was not trained on."""
    for n in range(30):  # wording the rules know, corrected to what the rules already say
        ticket = _ticket(ingest, 300 + n, "upload keeps failing with a network error" if n % 2
                         else "the review has been pending for two weeks")
        tickets_set_workflow(Ticket.objects.filter(pk=ticket.pk), Ticket.Workflow.CLOSED)
    outcome = triage_model_retrain()
    assert outcome.trained
    assert outcome.metrics["held_back"] == 6 and outcome.metrics["incumbent_version"] == "rules alone"
    # The rules are already right on every held-back ticket: a learned layer cannot beat them.
    assert outcome.metrics["incumbent"]["exact_match"] == 1.0
    assert not outcome.activated and "did not beat" in outcome.reason
    stored = TriageModel.objects.get(version=outcome.version)
    assert not stored.is_active and stored.metrics["candidate"]["n"] == 6
    html = admin_client.get("/admin/tickets/triagemodel/").content.decode()
    assert outcome.version in html and "exact set 1.00" in html


def test_the_admin_shows_what_each_version_may_decide_alone(ingest, admin_client):
    """The gates earned by cross-validation are stored with the version's numbers and shown beside them."""
    for n in range(1, 41):
        ticket = _ticket(ingest, 500 + n, NEW_WORDING if n % 2 else "the review has been pending for days, any news?")
        if n % 2:
            for code in list(ticket.categories.values_list("code", flat=True)):
                category_assignment_changed(ticket, code, added=False)
            category_assignment_changed(ticket, "identity_info_error", added=True)
        else:
            tickets_set_workflow(Ticket.objects.filter(pk=ticket.pk), Ticket.Workflow.CLOSED)
    outcome = triage_model_retrain()
    stored = TriageModel.objects.get(version=outcome.version)
    assert "identity_info_error" in stored.metrics["gates"]
    assert "identity_info_error" in stored.metrics["overrules"]  # "VIP" is a topic outside the guide to the rules
    html = admin_client.get("/admin/tickets/triagemodel/").content.decode()
    assert "from p ≥ %.2f" % stored.metrics["gates"]["identity_info_error"] in html
