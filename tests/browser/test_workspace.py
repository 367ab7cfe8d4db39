"""The ticket page as agents work in it, in a real browser: three clicks from the queue to the next ticket, two
agents colliding and the loser told, no serious accessibility violation, and screenshots for review."""

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tickets.models import Message, Ticket

from ..smtpserver import smtp_server  # noqa: F401
from .conftest import SCREENSHOTS
from .test_desk import QUEUE, _change, _realistic_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _click(desk, css: str, navigates: bool = True) -> None:
    element = desk.find(css)
    if navigates:
        desk.navigate(element.click)
    else:
        element.click()


def test_queue_to_ticket_to_suggested_reply_to_send_and_next_in_three_clicks(desk, smtp_server):  # noqa: F811
    ticket = _realistic_desk()
    next_up = Ticket.objects.filter(workflow="open").exclude(pk=ticket.pk).order_by("received_at").first()
    desk.viewport(1500, 1000)
    desk.open(QUEUE)
    clicks = 0

    desk.navigate(desk.driver.find_element(By.LINK_TEXT, ticket.reference).click)
    clicks += 1
    desk.wait.until(lambda d: d.execute_script(
        "var i = document.querySelector('img.kyc-preview'); return i && i.complete && i.naturalWidth > 0"))
    for part in (".kyc-thread .kyc-msg-in .kyc-msg-body", ".kyc-evidence li", "img.kyc-preview", ".kyc-shot .kyc-defect"):
        assert desk.in_first_screen(part), "%s is not visible without scrolling at 1500×1000" % part
    assert "Glare covers 7% of the photo" in desk.find(".kyc-shots").text

    _click(desk, "#kyc-composer button.kyc-suggestion", navigates=False)
    clicks += 1
    body = desk.find("#kyc-composer textarea[name=body]")
    assert body.get_attribute("value").startswith("Hello,\n\nthe photo of your passport has a reflection.")

    _click(desk, "#kyc-composer button.kyc-send-next")
    clicks += 1
    assert clicks <= 3
    assert desk.driver.current_url.endswith(_change(next_up)), desk.driver.current_url
    assert desk.find(".messagelist .success")
    assert len(smtp_server.messages) == 1 and smtp_server.messages[0][1] == ["ann.lee@example.com"]
    assert Ticket.objects.get(pk=ticket.pk).workflow == "waiting"


def test_two_agents_collide_one_wins_and_the_other_is_told(desk, colleague_desk, smtp_server):  # noqa: F811
    ticket = _realistic_desk()
    desk.open(_change(ticket))
    colleague_desk.open(_change(ticket))
    # each sees the other on the page (drawn with the page, refreshed by its script)
    desk.open(_change(ticket))
    assert "Bo Chen is viewing" in desk.find("#kyc-presence").text
    colleague_desk.find("#kyc-composer textarea[name=body]").send_keys("Bo is typing")

    def bo_is_replying(_driver) -> bool:
        desk.open(_change(ticket))
        return "Bo Chen is replying" in desk.find("#kyc-presence").text

    desk.wait.until(bo_is_replying)

    # the agent closes the ticket and assigns it to themself; Bo's page still shows it open
    Select(desk.find("#id_workflow")).select_by_value("closed")
    desk.navigate(desk.find("input[name=_continue]").click)
    assert desk.find(".messagelist .success")

    Select(colleague_desk.find("#id_assignee")).select_by_visible_text("bo")
    colleague_desk.navigate(colleague_desk.find("input[name=_save]").click)
    told = colleague_desk.find(".errornote").text
    assert "Someone else changed this ticket" in told
    assert "agent changed the status from “Open” to “Closed”" in told
    ticket.refresh_from_db()
    assert ticket.workflow == "closed" and ticket.assignee is None  # the stale save changed nothing

    # both reply from pages drawn before either reply: the first goes out, the second is held and shown why
    desk.open(_change(ticket))
    colleague_desk.open(_change(ticket))
    desk.find("#kyc-composer textarea[name=body]").send_keys("Please retake the photo without the flash.")
    desk.navigate(desk.find("#kyc-composer button.kyc-send-only").click)
    colleague_desk.find("#kyc-composer textarea[name=body]").send_keys("Bo's answer.")
    colleague_desk.navigate(colleague_desk.find("#kyc-composer button.kyc-send-only").click)
    conflict = colleague_desk.find(".kyc-conflict").text
    assert "agent sent a reply to this customer" in conflict and "without the flash" in conflict
    assert colleague_desk.find("#reply-form textarea[name=body]").get_attribute("value") == "Bo's answer."
    assert len(smtp_server.messages) == 1
    assert ticket.messages.filter(direction=Message.Direction.OUTBOUND).count() == 1


def _set_language(desk, code: str) -> None:
    switch = Select(desk.find("#language-switch select"))
    if switch.first_selected_option.get_attribute("value") != code:
        desk.navigate(lambda: switch.select_by_value(code))


def test_no_serious_or_critical_accessibility_violation_on_the_queue_the_ticket_and_the_composer(desk):
    ticket = _realistic_desk()
    found = {}
    for language in ("en", "zh-hans"):
        desk.open(QUEUE)
        _set_language(desk, language)
        for name, url in (("queue", QUEUE), ("ticket", _change(ticket)),
                          ("composer", "/admin/tickets/ticket/%d/reply/" % ticket.pk)):
            desk.open(url)
            violations = desk.axe_violations()
            if violations:
                found["%s (%s)" % (name, language)] = violations
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the full report beside the screenshots, for review
    (SCREENSHOTS.parent / "axe-violations.json").write_text(json.dumps(found, indent=1, ensure_ascii=False))
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_screenshots_of_the_queue_the_ticket_page_and_the_composer_in_both_languages_and_widths(desk):
    ticket = _realistic_desk()
    for language in ("en", "zh-hans"):
        desk.open(QUEUE)
        _set_language(desk, language)
        short = language.split("-")[0]
        for width in (1500, 1280):
            for name, url in (("queue", QUEUE), ("ticket", _change(ticket)),
                              ("composer", "/admin/tickets/ticket/%d/reply/" % ticket.pk)):
                desk.open(url)
                if name == "ticket":
                    desk.wait.until(lambda d: d.execute_script(
                        "var i = document.querySelector('img.kyc-preview'); return i && i.naturalWidth > 0"))
                path = desk.screenshot("%s-%s-%d.png" % (name, short, width), width=width)
                assert path.stat().st_size > 0


def test_a_preview_opens_large_in_a_lightbox_and_escape_closes_it(desk):
    ticket = _realistic_desk()
    desk.open(_change(ticket))
    desk.find("a.kyc-lightbox-link img.kyc-preview").click()
    dialog = desk.find("#kyc-lightbox")
    assert desk.driver.execute_script("return arguments[0].open", dialog)
    desk.wait.until(lambda d: d.execute_script("return document.querySelector('#kyc-lightbox img').naturalWidth") == 360)
    desk.driver.switch_to.active_element.send_keys("\ue00c")  # Escape
    desk.wait.until(lambda d: not d.execute_script("return document.getElementById('kyc-lightbox').open"))
    assert desk.driver.current_url.endswith(_change(ticket))  # the agent never left the ticket


def test_a_template_found_by_its_name_is_inserted_into_the_reply(desk):
    ticket = _realistic_desk()
    desk.open(_change(ticket))
    body = desk.find("#kyc-composer textarea[name=body]")
    body.send_keys("Dear Ann,\n")
    search = desk.find("#kyc-composer-template")
    search.send_keys("too dark (en")
    search.send_keys("\ue007")  # Enter
    text = body.get_attribute("value")
    assert text.startswith("Dear Ann,\n") and len(text) > len("Dear Ann,\n") + 40, text
    assert "{" not in text  # placeholders filled in or left out, never shown raw
    assert search.get_attribute("value") == ""
