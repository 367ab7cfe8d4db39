"""Structured evidence end to end: triage stores records; the export shows the contract's English strings
and the admin shows the same records in the agent's language."""

import pytest

from tickets.models import Ticket
from tickets.selectors import ticket_export_row, ticket_list_for_export

from ..factories import build_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(ingest):
    from demo.images import make_id_document

    raw = build_email(subject="护照被拒", body="护照照片有反光，我已经清除过缓存了。", attachments=[
        ("passport.jpg", make_id_document(defects=("glare",)), "image/jpeg")])
    return Ticket.objects.get(pk=ingest(raw).ticket_id)


def test_triage_stores_records_and_the_export_renders_english(ticket):
    assignment = ticket.categories.get(code="document_requirements")
    sources = {record["source"] for record in assignment.evidence}
    assert {"body", "defect"} <= sources
    defect = next(r for r in assignment.evidence if r["source"] == "defect")
    assert defect["attachment"] == "passport.jpg" and defect["value"] == "glare" and "ratio" in defect["metrics"]
    row = ticket_export_row(ticket_list_for_export().get(pk=ticket.pk))
    (exported,) = [c for c in row["categories"] if c["code"] == "document_requirements"]
    assert 'body: "反光"' in exported["evidence"]
    assert any(line.startswith("attachment passport.jpg: glare") for line in exported["evidence"])
    # "I already cleared the cache" is an attempt, not the problem.
    assert "page_load_cache" not in [c["code"] for c in row["categories"]]


def test_the_admin_shows_the_same_records_in_chinese(ticket, admin_client):
    admin_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    html = admin_client.get("/admin/tickets/ticket/%d/change/" % ticket.pk).content.decode()
    assert "客户原话" in html and "passport.jpg" in html
    assert "{&#x27;source&#x27;" not in html and "'source'" not in html
