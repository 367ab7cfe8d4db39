"""Analysis and triage as services: idempotent, failures visible with a reason, retry, stuck tickets swept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tickets.conf import conf
from tickets.models import Attachment, AttachmentDefect, CategoryAssignment, ProcessingStep, SuggestedReply, Ticket
from tickets.services.analysis import attachment_analyse
from tickets.services.pipeline import tickets_requeue_stuck, tickets_retry
from tickets.services.triage import ticket_triage

from ..factories import build_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def passport_ticket(ingest):
    from demo.images import make_id_document, make_screenshot

    raw = build_email(subject="护照照片被拒", body="上传护照一直失败", attachments=[
        ("passport.jpg", make_id_document(defects=("glare",)), "image/jpeg"),
        ("screen.png", make_screenshot(["网络连接超时，请重试"], theme="dark", lang="zh"), "image/png"),
    ])
    return Ticket.objects.get(pk=ingest(raw).ticket_id)


def test_an_ingested_ticket_is_analysed_and_triaged_in_process(passport_ticket):
    ticket = passport_ticket
    assert ticket.status == "triaged"
    assert ticket.language == "zh"
    passport = ticket.attachments.get(filename="passport.jpg")
    assert passport.kind == "id_document" and "glare" in passport.defect_codes
    assert passport.preview, "an annotated preview is stored"
    codes = set(ticket.categories.filter(applied=True).values_list("code", flat=True))
    assert {"document_requirements", "upload_network_failure"} <= codes
    for assignment in ticket.categories.all():
        assert assignment.evidence and 0 <= assignment.confidence <= 1
    replies = list(ticket.suggested_replies.order_by("rank"))
    assert replies and all(r.language == "zh" for r in replies)
    bodies = "\n".join(r.body for r in replies)
    assert "反光" in bodies and "passport.jpg" in bodies, "the glare on passport.jpg is named"
    assert "网络连接超时" in bodies, "the OCR'd error message is quoted"


def test_analysing_again_with_the_same_version_does_nothing(passport_ticket):
    attachment = passport_ticket.attachments.first()
    steps = ProcessingStep.objects.count()
    assert attachment_analyse(attachment.pk) == "already done"
    assert ProcessingStep.objects.count() == steps
    assert AttachmentDefect.objects.filter(attachment=attachment).count() == len(attachment.defect_codes)


def test_triage_twice_leaves_one_set_of_results(passport_ticket):
    before = sorted(passport_ticket.categories.values_list("code", "confidence"))
    assert ticket_triage(passport_ticket.pk) == "already triaged"
    ticket_triage(passport_ticket.pk, force=True)
    assert sorted(passport_ticket.categories.values_list("code", "confidence")) == before
    assert SuggestedReply.objects.filter(ticket=passport_ticket).count() <= 3


def test_a_crashing_analysis_is_visible_on_the_ticket_and_can_be_retried(ingest, on_commit, monkeypatch):
    import tickets.analysis as analysis

    def broken(*args, **kwargs):
        raise RuntimeError("simulated analyser bug")

    monkeypatch.setattr(analysis, "analyse", broken)
    outcome = ingest(build_email(attachments=[("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")]))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    assert ticket.status == "failed"
    assert "simulated analyser bug" in ticket.status_reason
    assert ticket.steps.filter(step="analyse", status="failed").exists()
    assert ticket.categories.exists(), "triage still ran on the rest"

    monkeypatch.undo()
    on_commit(tickets_retry, [ticket.pk])
    ticket.refresh_from_db()
    assert ticket.status == "triaged"
    assert ticket.attachments.get().analysis_status == Attachment.AnalysisStatus.DONE


def test_the_sweeper_requeues_stuck_tickets_and_gives_up_after_the_limit(ingest, on_commit, settings):
    settings.KYCTRIAGE_AUTO_PROCESS = 0
    outcome = ingest(build_email(body="my verification is under review for a week"))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    assert ticket.status == "new"
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    report = on_commit(tickets_requeue_stuck)
    assert report == {"requeued": 1, "failed": 0}
    ticket.refresh_from_db()
    assert ticket.status == "triaged"

    Ticket.objects.filter(pk=ticket.pk).update(status="processing", pipeline_attempts=conf.MAX_PIPELINE_ATTEMPTS,
                                               updated_at=timezone.now() - timedelta(hours=1))
    assert tickets_requeue_stuck() == {"requeued": 0, "failed": 1}
    ticket.refresh_from_db()
    assert ticket.status == "failed" and "attempts" in ticket.status_reason


def test_an_agents_removal_survives_a_re_triage(passport_ticket, on_commit):
    from tickets.services.corrections import category_assignment_changed

    category_assignment_changed(passport_ticket, "upload_network_failure", added=False)
    on_commit(tickets_retry, [passport_ticket.pk], reanalyse=False)
    codes = set(passport_ticket.categories.values_list("code", flat=True))
    assert "upload_network_failure" not in codes
    assert "document_requirements" in codes
    assert CategoryAssignment.objects.filter(ticket=passport_ticket, source="auto").exists()


def test_an_analyser_error_that_is_not_a_file_verdict_fails_the_attachment_visibly(ingest, monkeypatch):
    import tickets.analysis as analysis
    from tickets.analysis import AnalysisResult

    def half_done(data, **kwargs):
        result = AnalysisResult(sniffed_type="image/png", kind="other")
        result.error = "analysis failed: simulated OpenCV assertion"
        return result

    monkeypatch.setattr(analysis, "analyse", half_done)
    outcome = ingest(build_email(attachments=[("thin.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, "image/png")]))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    assert ticket.attachments.get().analysis_status == Attachment.AnalysisStatus.FAILED
    assert ticket.status == "failed" and "simulated OpenCV" in ticket.status_reason


def test_a_faceless_photo_the_customer_calls_a_selfie_is_a_selfie_without_a_face(ingest):
    """The message's words about the file ("my selfie") reach the analysis as a hint."""
    from demo.images import make_selfie

    raw = build_email(subject="selfie rejected", body="Here is my selfie, the app says it failed.", attachments=[
        ("IMG_2041.jpg", make_selfie(defects=("no_face",)), "image/jpeg")])
    ticket = Ticket.objects.get(pk=ingest(raw).ticket_id)
    photo = ticket.attachments.get()
    assert photo.kind == "selfie" and "no_face" in photo.defect_codes
