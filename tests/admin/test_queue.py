"""The queue: chips, badges, filters, search over OCR text, and a query count that does not grow with the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import make_ticket

pytestmark = pytest.mark.django_db

URL = "/admin/tickets/ticket/"


def test_the_queue_shows_categories_with_confidence_and_defects(admin_client):
    ticket = make_ticket(subject="Passport rejected", defects=("glare",))
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert ticket.reference in html
    assert "kyc-cat-document_requirements" in html and "90%" in html
    assert "kyc-defect-glare" in html


def test_the_number_of_queries_does_not_grow_with_the_page(admin_client):
    for i in range(3):
        make_ticket(subject="t%d" % i, defects=("blurry",))
    with CaptureQueriesContext(connection) as small:
        admin_client.get(URL)
    for i in range(20):
        make_ticket(subject="u%d" % i, defects=("glare", "blurry"),
                    categories=(("document_requirements", 0.9), ("other", 0.7)))
    with CaptureQueriesContext(connection) as large:
        admin_client.get(URL)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_search_finds_tickets_by_the_ocr_text_of_a_screenshot(admin_client):
    wanted = make_ticket(subject="it failed", ocr_text="网络连接超时，请重试")
    other = make_ticket(subject="another")
    html = admin_client.get(URL, {"q": "连接超时"}).content.decode()
    assert wanted.reference in html
    assert other.reference not in html


def test_a_reference_in_the_search_box_finds_that_ticket(admin_client):
    wanted = make_ticket(subject="first")
    make_ticket(subject="second")
    html = admin_client.get(URL, {"q": wanted.reference.lower()}).content.decode()
    assert wanted.reference in html and "second" not in html


@pytest.mark.parametrize("params", [{"category": "face_recognition_failed"}, {"defect": "too_dark"},
                                    {"confidence": "medium"}, {"language": "zh"}])
def test_filters_narrow_the_queue(admin_client, params):
    wanted = make_ticket(subject="wanted", categories=(("face_recognition_failed", 0.7),), defects=("too_dark",),
                         language="zh")
    unwanted = make_ticket(subject="unwanted", categories=(("review_pending", 0.95),))
    html = admin_client.get(URL, params).content.decode()
    assert wanted.reference in html
    assert unwanted.reference not in html


def test_the_low_confidence_band_lists_tickets_left_for_an_agent(admin_client):
    unsure = make_ticket(subject="unsure", categories=(("other", 0.4),))
    sure = make_ticket(subject="sure", categories=(("review_pending", 0.95),))
    html = admin_client.get(URL, {"confidence": "low"}).content.decode()
    assert unsure.reference in html and sure.reference not in html


def test_a_ticket_with_two_matching_attachments_is_listed_once(admin_client):
    from tickets.models import Attachment, AttachmentDefect

    ticket = make_ticket(subject="twice", defects=("glare",))
    second = Attachment.objects.create(ticket=ticket, filename="b.jpg", kind="id_document", analysis_status="done")
    AttachmentDefect.objects.create(attachment=second, ticket=ticket, code="glare")
    for params in ({"defect": "glare"}, {"kind": "id_document"}):
        html = admin_client.get(URL, params).content.decode()
        assert html.count('class="field-reference_display"') == 1, params


def test_sorting_by_confidence_puts_unsure_tickets_last(admin_client):
    sure = make_ticket(subject="sure", categories=(("review_pending", 0.95),))
    empty = make_ticket(subject="empty", categories=())
    html = admin_client.get(URL, {"o": "4"}).content.decode()
    assert html.index(sure.reference) < html.index(empty.reference)
