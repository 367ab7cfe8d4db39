"""Traditional Chinese that PP-OCR reads incompletely (its recogniser lacks 帳, 險, 暫 ...) is completed by Tesseract
chi_tra line by line; Simplified and English screens come back exactly as PP-OCR read them."""

from __future__ import annotations

import io

import pytest

from tickets.analysis.ocr import character_error_rate
from tickets.analysis.result import OcrLine

# Traditional error lines whose characters PP-OCR's dictionary lacks (帳, 險, 暫) or reads as Simplified forms.
TRADITIONAL = ["您的帳戶存在安全風險，驗證已暫停", "人臉辨識未通過，請正對鏡頭並保持光線充足"]
LINES = {
    "zh": ["上传失败，网络连接超时，请稍后重试", "错误代码：E1023 证件照片不清晰"],
    "en": ["Upload failed: network timeout, please try again later", "Error code E1023: document photo is blurry"],
}


@pytest.fixture(scope="module")
def rapidocr():
    from tickets.analysis.ocr import OcrEngine

    eng = OcrEngine("rapidocr")
    yield eng
    eng.close()


def _image(png: bytes):  # noqa: ANN202
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB")


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1080, 2340), (720, 1560)])
def test_traditional_lines_completed_by_chi_tra(rapidocr, theme, size):
    """The real path: analyse() -> PP-OCR -> chi_tra per Traditional line. PP-OCR alone read these lines with CER
    0.17-0.19 (帐戶, 風，證, 暂); completed, 0.00-0.06 on each of the four screens."""
    from tickets.analysis import analyse
    from demo.images import make_screenshot

    png = make_screenshot(TRADITIONAL, theme=theme, lang="zh", size=size)
    r = analyse(png, filename="s.png", ocr=rapidocr, preview=False)
    assert r.metrics["ocr_engine"] == "rapidocr" and r.metrics["ocr_second_pass"] >= 2
    assert "您的帳戶存在安全風險，驗證已暫停" in r.ocr_text, r.ocr_text
    assert character_error_rate(TRADITIONAL, r.ocr_text) <= 0.08, r.ocr_text
    assert "身份认证" in r.ocr_text  # the Simplified chrome of the same screen stays Simplified


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_simplified_and_english_screens_unchanged(rapidocr, lang):
    """No line of a Simplified or English screen is re-read: the text is PP-OCR's own."""
    from demo.images import make_screenshot

    for theme in ("light", "dark"):
        image = _image(make_screenshot(LINES[lang], theme=theme, lang=lang, size=(720, 1560)))
        reading = rapidocr.read(image, purpose="screen")
        assert reading.second_pass == 0
        assert [ln.text for ln in reading.lines] == [ln.text for ln in rapidocr._rapid_engine().read_screen(image)]


def test_merge_adds_dropped_characters_and_confident_traditional_forms():
    from tickets.analysis.ocr.traditional import merge_line

    def sym(text: str, conf: float = 99.0) -> list[tuple[str, float]]:
        return [(ch, conf) for ch in text]

    # dropped characters come back; Tesseract's ASCII comma does not replace PP-OCR's full-width one
    assert merge_line("您的帳戶存在安全風，證已暫停", sym("您的帳戶存在安全風險,驗證已暫停")) == "您的帳戶存在安全風險，驗證已暫停"
    # a Traditional-only form replaces a character that is not one (PP-OCR's 真 for 頁, 傅 for 傳)
    assert merge_line("真面載入失敗", sym("頁面載入失敗")) == "頁面載入失敗"
    assert merge_line("上傅失敗", sym("上傳失敗")) == "上傳失敗"
    # ...but never a character PP-OCR read as Traditional already, nor with a common character
    assert merge_line("請正對鏡頭", sym("語正對鑑頭")) == "請正對鏡頭"
    assert merge_line("第二步", sym("弟二步")) == "第二步"
    # unsure symbols, Latin and punctuation are never taken
    assert merge_line("審核中", [("審", 99.0), ("核", 99.0), ("防", 80.0), ("中", 99.0)]) == "審核中"
    assert merge_line("上傳失敗", sym("上傳失敗 MB")) == "上傳失敗"
    assert merge_line("發生錯", []) == "發生錯"


def test_which_lines_are_traditional():
    from tickets.analysis.ocr.traditional import script_counts, traditional_lines

    def lines(*texts: str) -> list[OcrLine]:
        return [OcrLine(t, 90.0, (0, 40 * i, 400, 30)) for i, t in enumerate(texts)]

    assert script_counts("您的帐戶存在安全風") == (2, 1)  # 戶 風 Traditional-only, 帐 Simplified-only
    # a Traditional screen: every Chinese line, even one PP-OCR read with Simplified forms only ("上传件")
    assert traditional_lines(lines("9:41", "身分證", "第一步：上传件", "請確保證件四角完整", "OK")) == [1, 2, 3]
    # a Simplified screen: nothing; with one Traditional line (a Taiwanese card in the preview): that line
    assert traditional_lines(lines("身份认证", "证件照片模糊，请重新拍摄", "Submit")) == []
    assert traditional_lines(lines("身份认证", "请将证件放入框内", "中華民國國民身分證", "Submit")) == [2]


def test_reading_order_keeps_a_wrapped_paragraph_together():
    """A snackbar: the message wraps onto two lines and its RETRY button starts between them."""
    from tickets.analysis.ocr.rapid import reading_order

    first = OcrLine("網路連線逾時，請檢查網路後再", 99.0, (60, 1900, 600, 50))
    button = OcrLine("重試", 99.0, (900, 1910, 80, 45))
    second = OcrLine("試", 99.0, (60, 1960, 45, 50))
    title = OcrLine("身分認證", 99.0, (400, 100, 200, 50))
    assert [ln.text for ln in reading_order([button, second, first, title])] == ["身分認證", first.text, "試", "重試"]
    # lines side by side on one row stay in row order
    row = [OcrLine("姓名", 99.0, (60, 500, 100, 50)), OcrLine("張小明", 99.0, (300, 502, 150, 50))]
    assert [ln.text for ln in reading_order(row[::-1])] == ["姓名", "張小明"]


def test_lines_stay_as_read_when_the_chi_tra_pass_fails(monkeypatch, rapidocr, caplog):
    """A broken chi_tra pass (missing language data, say) costs the completion, never the reading."""
    from tickets.analysis.ocr.tesseract import TesseractEngine
    from demo.images import make_screenshot

    def broken(self, line):  # noqa: ANN001, ANN202
        raise RuntimeError("Failed loading language 'chi_tra' (simulated)")

    monkeypatch.setattr(TesseractEngine, "read_line_symbols", broken)
    reading = rapidocr.read(_image(make_screenshot(TRADITIONAL, theme="light", lang="zh", size=(720, 1560))))
    assert reading.engine == "rapidocr" and reading.second_pass == 0 and not reading.fallback
    assert "安全風" in "\n".join(ln.text for ln in reading.lines)
    assert any("Traditional Chinese pass failed" in rec.getMessage() for rec in caplog.records)


def test_lines_stay_as_read_without_opencc(monkeypatch, rapidocr, caplog):
    import sys

    from tickets.analysis.ocr import traditional

    monkeypatch.setitem(sys.modules, "opencc", None)  # "import opencc" raises
    monkeypatch.setattr(traditional, "_unavailable", "")
    traditional._opencc.cache_clear()
    try:
        lines = [OcrLine("您的帐戶存在安全風", 90.0, (0, 0, 400, 40))]
        assert traditional.complete_traditional(None, lines, lambda crop: []) == (lines, 0)
        assert any("OpenCC unavailable" in rec.getMessage() for rec in caplog.records)
    finally:
        traditional._opencc.cache_clear()  # monkeypatch restores opencc and _unavailable
