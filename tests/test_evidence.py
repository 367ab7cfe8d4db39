"""Evidence lines stored in English read naturally in the agent's language."""

from django.utils import translation

from tickets.evidence import evidence_for_display


def test_evidence_lines_are_rendered_in_chinese():
    with translation.override("zh-hans"):
        assert evidence_for_display('body: "照片反光"') == "客户原话：“照片反光”"
        assert "第 3 行" in evidence_for_display('OCR line 3 of screen.png: "网络连接超时"')
        glare = evidence_for_display("attachment passport.jpg: glare 7% of area, top-left")
        assert "passport.jpg" in glare and "左上角" in glare and "7%" in glare
        assert "已过期" in evidence_for_display("attachment id.jpg: expired document (expiry 2024-03-01)")


def test_unknown_shapes_and_english_pass_through():
    with translation.override("en"):
        assert evidence_for_display("attachment passport.jpg: glare 7% of area, top-left") == \
            "attachment passport.jpg: glare over 7% of the image, top-left corner"
        assert evidence_for_display("something else entirely") == "something else entirely"
