"""The admin in a real browser: filters, previews, corrections, replies, language, no script from mail."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tickets.models import Attachment, Correction
from tickets.taxonomy import Category

from ..factories import make_ticket
from ..smtpserver import smtp_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "/admin/tickets/ticket/"


def _change(ticket) -> str:
    return "%s%d/change/" % (QUEUE, ticket.pk)


def _preview_png(text: str = "glare") -> bytes:
    """An annotated preview as the analyser draws it: the document, a red box round the defect, a label."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 230), "#e8edf2")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 340, 210), outline="#34495e", width=3)
    draw.rectangle((40, 60, 130, 170), fill="#bdc3c7")
    for y in (70, 95, 120, 145):
        draw.line((150, y, 320, y), fill="#7f8c8d", width=4)
    draw.rectangle((200, 40, 330, 110), outline="#e74c3c", width=4)
    draw.text((205, 115), text, fill="#e74c3c")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _attach_preview(ticket, filename="passport.jpg") -> Attachment:
    attachment = Attachment.objects.create(ticket=ticket, filename=filename, kind="id_document",
                                           content_type="image/jpeg", size=48213, analysis_status="done",
                                           metrics={"sharpness": 41.2, "glare_ratio": 0.07})
    attachment.preview.save(filename, ContentFile(_preview_png()), save=True)
    return attachment


def _row_texts(desk) -> list[str]:
    return [row.text for row in desk.find_all("#result_list tbody tr")]


def test_the_queue_lists_tickets_and_a_category_filter_in_the_sidebar_narrows_it(desk):
    passport = make_ticket(subject="Passport photo rejected", categories=(("document_requirements", 0.92),))
    waiting = make_ticket(subject="Still waiting for my review", categories=(("review_pending", 0.88),))
    desk.open(QUEUE)
    rows = "\n".join(_row_texts(desk))
    assert passport.reference in rows and waiting.reference in rows

    sidebar = desk.find("#changelist-filter")
    link = sidebar.find_element(By.LINK_TEXT, str(Category.REVIEW_PENDING.label))
    desk.navigate(link.click)

    assert "category=review_pending" in desk.driver.current_url
    rows = _row_texts(desk)
    assert len(rows) == 1 and waiting.reference in rows[0], rows


def test_the_ticket_page_shows_the_annotated_preview_image(desk):
    ticket = make_ticket(subject="ID card glare", defects=("glare",))
    _attach_preview(ticket)
    desk.open(_change(ticket))
    image = desk.find("img.kyc-preview")
    desk.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", image)  # loading="lazy"
    desk.wait.until(lambda d: d.execute_script("return arguments[0].complete", image))
    assert desk.driver.execute_script("return arguments[0].naturalWidth", image) == 360


def test_deleting_and_adding_a_category_on_the_ticket_page_stores_corrections(desk):
    ticket = make_ticket(categories=(("document_requirements", 0.9),))
    desk.open(_change(ticket))
    desk.find("#id_categories-0-DELETE").click()
    Select(desk.find("#id_categories-1-code")).select_by_value("review_pending")
    desk.navigate(desk.find("input[name=_save]").click)

    assert desk.find(".messagelist .success")
    assert set(Correction.objects.filter(ticket=ticket).values_list("code", "action")) == {
        ("document_requirements", "remove"), ("review_pending", "add")}
    assert set(ticket.categories.values_list("code", "source")) == {("review_pending", "agent")}


def test_an_agent_edits_a_suggested_reply_and_the_customer_receives_it(desk, smtp_server):  # noqa: F811
    ticket = make_ticket(email="lee@example.com")
    ticket.suggested_replies.create(template_code="document_requirements.glare", language="en",
                                    subject="About your passport photo", body="Please retake the photo.", rank=0)
    desk.open(_change(ticket))
    desk.navigate(desk.find("a.kyc-use-reply").click)

    body = desk.find("#reply-form textarea[name=body]")
    assert body.get_attribute("value") == "Please retake the photo."
    body.clear()
    body.send_keys("Please retake the photo without the flash.")
    desk.navigate(desk.find("#reply-form [type=submit]").click)

    assert desk.find(".messagelist .success")
    assert len(smtp_server.messages) == 1
    _, recipients, message = smtp_server.messages[0]
    assert recipients == ["lee@example.com"]
    assert ticket.reference in message["Subject"]
    assert "without the flash" in message.get_content()


def test_the_language_switch_in_the_header_turns_the_interface_chinese(desk):
    desk.open(QUEUE)
    assert desk.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    switch = Select(desk.find("#language-switch select"))
    desk.navigate(lambda: switch.select_by_value("zh-hans"))  # onchange submits the form

    assert desk.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-hans"
    assert desk.driver.current_url.endswith(QUEUE)


def test_script_in_stored_mail_html_does_not_run_on_the_ticket_page(desk):
    """Stored raw, as if ingest-time sanitising had been bypassed: the admin sanitises again on output."""
    payload = ('<p>Please help with my passport</p><script>window.__pwned=1</script>'
               '<img src=x onerror="window.__pwned=2">')
    ticket = make_ticket(html=payload)
    desk.open(_change(ticket))

    assert "Please help with my passport" in desk.find(".kyc-html").text
    desk.wait.until(lambda d: d.execute_script("return Array.from(document.images).every(i => i.complete)"))
    assert desk.driver.execute_script("return typeof window.__pwned") == "undefined"


def _realistic_desk():
    """About eight tickets as a Monday morning brings them: both languages, several causes, some defects."""
    now = timezone.now()
    make_ticket(subject="护照照片上传后一直显示审核失败", email="wang.fang@example.cn", language="zh",
                categories=(("document_requirements", 0.93),), defects=("glare", "cropped"),
                ocr_text="证件照片不清晰，请重新上传", body="我上传了三次护照照片都失败了",
                received_at=now - timedelta(hours=2))
    make_ticket(subject="Face verification keeps failing", email="maria.garcia@example.com",
                categories=(("face_recognition_failed", 0.87),), defects=("too_dark",),
                ocr_text="Face not detected. Please try again.", received_at=now - timedelta(hours=5))
    make_ticket(subject="人脸识别和身份证不一致", email="li.wei@example.cn", language="zh",
                categories=(("face_document_mismatch", 0.71), ("identity_info_error", 0.55)),
                received_at=now - timedelta(days=1))
    make_ticket(subject="Upload stuck at 99%", email="tom.baker@example.co.uk",
                categories=(("upload_network_failure", 0.9),), ocr_text="Network error (code 504)",
                received_at=now - timedelta(days=1, hours=3))
    make_ticket(subject="How long does the review take?", email="anna.k@example.de",
                categories=(("review_pending", 0.95),), received_at=now - timedelta(days=2))
    make_ticket(subject="页面一直加载不出来", email="chen.jie@example.cn", language="zh",
                categories=(("page_load_cache", 0.82),), ocr_text="页面加载失败，请清除缓存后重试",
                received_at=now - timedelta(days=3))
    make_ticket(subject="Wrong date of birth entered", email="john.smith@example.com",
                categories=(("identity_info_error", 0.89),), received_at=now - timedelta(days=4))
    make_ticket(subject="Question about my account", email="sam.lee@example.com", categories=(),
                received_at=now - timedelta(days=6))
    ticket = make_ticket(subject="Passport photo rejected (glare)", email="ann.lee@example.com",
                         categories=(("document_requirements", 0.91),), defects=("glare",),
                         ocr_text="Document photo unclear. Please upload again.\nPassport No. E12345678",
                         body="Hello, my passport photo was rejected twice. What should I do?",
                         received_at=now - timedelta(minutes=20))
    _attach_preview(ticket)
    ticket.suggested_replies.create(
        template_code="document_requirements.glare", language="en", subject="About your passport photo",
        body="Hello,\n\nthe photo of your passport has a reflection. Please retake it without the flash.", rank=0)
    return ticket


def test_screenshots_of_the_queue_a_ticket_and_the_trends_for_review(desk):
    ticket = _realistic_desk()

    desk.open(QUEUE)
    assert len(_row_texts(desk)) == 9
    assert desk.screenshot("queue.png").stat().st_size > 0

    desk.open(_change(ticket))
    image = desk.find("img.kyc-preview")
    desk.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", image)
    desk.wait.until(lambda d: d.execute_script("return arguments[0].naturalWidth > 0", image))
    desk.driver.execute_script("window.scrollTo(0, 0)")
    assert desk.screenshot("ticket.png").stat().st_size > 0

    desk.open(QUEUE + "trends/")
    assert desk.find("#kyc-trends")
    assert desk.screenshot("trends.png").stat().st_size > 0
