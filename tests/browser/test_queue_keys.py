"""The queue in a real browser: keyboard shortcuts, a skip link to the first ticket, 1280 px without sideways scroll."""

from datetime import timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tickets.models import Ticket

from ..factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "/admin/tickets/ticket/"


def _three_tickets():
    now = timezone.now()
    return [make_ticket(subject="Ticket number %d" % i, received_at=now - timedelta(hours=10 - i),
                        categories=(("document_requirements", 0.9), ("face_document_mismatch", 0.7)))
            for i in range(3)]


def _press(desk, keys: str) -> None:
    ActionChains(desk.driver).send_keys(keys).perform()


def _current(desk) -> str:
    return desk.driver.execute_script(
        "var row = document.querySelector('#result_list tr.kyc-current'); return row ? row.innerText : ''")


def test_j_and_k_move_enter_opens_and_typing_in_the_search_box_is_left_alone(desk):
    first, second, third = _three_tickets()
    desk.open(QUEUE)
    assert first.reference in _current(desk)
    _press(desk, "jj")
    assert third.reference in _current(desk)
    _press(desk, "k")
    assert second.reference in _current(desk)
    desk.find("#searchbar").send_keys("jk")
    assert second.reference in _current(desk)
    assert desk.find("#searchbar").get_attribute("value") == "jk"
    desk.driver.execute_script("document.activeElement.blur()")
    desk.navigate(lambda: _press(desk, Keys.ENTER))
    assert desk.driver.current_url.endswith("/%d/change/" % second.pk)


def test_e_closes_and_a_assigns_the_current_ticket_only(desk):
    first, second, third = _three_tickets()
    desk.open(QUEUE)
    _press(desk, "j")
    desk.navigate(lambda: _press(desk, "a"))
    assert "1 ticket assigned" in desk.find("ul.messagelist").text
    assert list(Ticket.objects.filter(assignee__username="agent")) == [second]
    desk.navigate(lambda: _press(desk, "e"))  # the current row is the first again after the reload
    assert "1 ticket closed" in desk.find("ul.messagelist").text
    assert list(Ticket.objects.filter(workflow=Ticket.Workflow.CLOSED)) == [first]
    assert first.reference not in desk.find("#result_list").text  # the open queue no longer lists it


def test_r_opens_the_reply_page_of_the_current_ticket(desk):
    first, second, _ = _three_tickets()
    desk.open(QUEUE)
    _press(desk, "j")
    desk.navigate(lambda: _press(desk, "r"))
    assert desk.driver.current_url.endswith("/%d/reply/" % second.pk)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_queue_fits_1280_px_references_stay_on_one_line_and_two_tabs_reach_the_first_ticket(desk, language):
    tickets = _three_tickets()
    make_ticket(subject="护照照片上传后一直显示审核失败，请尽快帮我处理一下这个问题，谢谢", language="zh",
                email="a.very.long.customer.address.for.testing@example-long-domain.cn",
                categories=(("account_security_risk", 0.95), ("identity_info_error", 0.8)), defects=("glare", "blurry"))
    desk.driver.add_cookie({"name": "django_language", "value": language})
    desk.driver.set_window_size(1280, 900)
    Ticket.objects.filter(pk=tickets[1].pk).update(workflow=Ticket.Workflow.WAITING)  # the longest workflow name
    for view in ("?view=all", ""):
        desk.open(QUEUE + view)
        widths = desk.driver.execute_script(
            "return [document.documentElement, document.querySelector('#changelist .results')]"
            ".map(e => [e.scrollWidth, e.clientWidth])")
        assert all(scroll <= client for scroll, client in widths), "sideways scroll at 1280 px: %s" % widths
    lines = desk.driver.execute_script(
        "return Array.from(document.querySelectorAll('#result_list .field-reference_display a'))"
        ".map(a => a.getClientRects().length)")
    assert lines and set(lines) == {1}
    desk.open(QUEUE)
    _press(desk, Keys.TAB + Keys.TAB)
    assert "kyc-skip-to-ticket" in desk.driver.switch_to.active_element.get_attribute("class")
    _press(desk, Keys.ENTER)
    assert tickets[0].reference in desk.driver.switch_to.active_element.text
    desk.driver.save_screenshot(str(_artifact("queue-1280-%s.png" % language.split("-")[0])))
    desk.driver.set_window_size(1500, 1000)
    desk.driver.save_screenshot(str(_artifact("queue-1500-%s.png" % language.split("-")[0])))


def _artifact(name: str):
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name
