"""Evidence is stored as records and rendered from the same record: English for the export, the agent's
language in the admin."""

from django.utils import translation

from tickets.evidence import evidence_for_display
from tickets.triage import evidence as ev


def _round_trip(item):
    return ev.from_record(ev.to_record(item))


def test_records_survive_storage_and_render_the_contract_english():
    cases = [
        (ev.phrase("body", "照片  反光"), 'body: "照片 反光"'),
        (ev.ocr_line("screen.png", 3, "网络连接超时"), 'OCR line 3 of screen.png: "网络连接超时"'),
        (ev.defect("passport.jpg", "glare", {"ratio": 0.07, "region": "top-left"}),
         "attachment passport.jpg: glare 7% of area, top-left"),
        (ev.defect("id.jpg", "expired_document", {"expiry": "2024-03-01"}),
         "attachment id.jpg: expired document (expiry 2024-03-01)"),
        (ev.learned("abc123", 0.834), "learned model vabc123: p=0.83"),
        (ev.no_cause(0.5, 0.3), "no cause reached 0.50 (best 0.30)"),
    ]
    for item, english in cases:
        assert _round_trip(item) == item
        assert ev.english(ev.to_record(item)) == english == str(item)


def test_records_are_rendered_in_chinese_from_the_record_not_from_a_sentence():
    with translation.override("zh-hans"):
        assert evidence_for_display(ev.to_record(ev.phrase("body", "照片反光"))) == "客户原话：“照片反光”"
        assert "第 3 行" in evidence_for_display(ev.to_record(ev.ocr_line("screen.png", 3, "网络连接超时")))
        glare = evidence_for_display(ev.to_record(ev.defect("passport.jpg", "glare", {"ratio": 0.07, "region": "top-left"})))
        assert "passport.jpg" in glare and "左上角" in glare and "7%" in glare
        expired = evidence_for_display(ev.to_record(ev.defect("id.jpg", "expired_document", {"expiry": "2024-03-01"})))
        assert "已过期" in expired and "2024-03-01" in expired


def test_english_admin_rendering_and_legacy_strings():
    with translation.override("en"):
        record = ev.to_record(ev.defect("passport.jpg", "glare", {"ratio": 0.07, "region": "top-left"}))
        assert evidence_for_display(record) == "attachment passport.jpg: glare over 7% of the image, top-left corner"
        assert evidence_for_display("something stored before records") == "something stored before records"
