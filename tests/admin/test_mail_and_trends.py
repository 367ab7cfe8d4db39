"""Trends that lead to the queue, and an incoming-mail list that says who wrote and where it went (issue 13, item 7)."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from tickets.models import IncomingMail, Ticket

from ..factories import build_email, make_ticket

pytestmark = pytest.mark.django_db

TRENDS = "/admin/tickets/ticket/trends/"
QUEUE = "/admin/tickets/ticket/"


# --- trends ---------------------------------------------------------------------------------------------------

def _chart_svg(html: str) -> str:
    start = html.index('<svg class="kyc-chart"')
    return html[start:html.index("</svg>", start)]


def test_axis_ticks_are_whole_numbers_from_zero_past_the_peak():
    from tickets.admin.trends import MAX_TICKS, axis_ticks

    for peak in (0, 1, 2, 3, 7, 10, 13, 48, 99, 1234):
        ticks = axis_ticks(peak)
        assert ticks[0] == 0 and ticks[-1] >= peak, (peak, ticks)
        assert all(isinstance(t, int) for t in ticks) and len(set(ticks)) == len(ticks), (peak, ticks)
        assert len(ticks) <= MAX_TICKS + 1, (peak, ticks)
    assert axis_ticks(1) == [0, 1]


def test_the_chart_axis_reads_whole_numbers_with_one_ticket(admin_client):
    """The issue saw "1, 0, 0" on the y-axis when the busiest day had one ticket."""
    make_ticket(categories=(("upload_network_failure", 0.9),))
    html = admin_client.get(TRENDS).content.decode()
    svg = _chart_svg(html)
    labels = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    ticks = [label for label in labels if not re.match(r"\d{4}-\d{2}-\d{2}$", label)]
    assert ticks == ["0", "1"]


@pytest.mark.parametrize("line", ["9:41", "09:41 AM", "下午3:20", "中国移动 4G 85%", "••••• Verizon LTE 9:41 AM 100%",
                                  "OK", "确定", "重试", "Try again", "联系客服", "100%"])
def test_status_bar_readings_and_buttons_are_screen_chrome(line):
    from tickets.trends import is_screen_chrome

    assert is_screen_chrome(line)


@pytest.mark.parametrize("line", ["Network error, please retry", "上传失败，网络连接超时", "认证失败", "Error 4G",
                                  "Upload failed: network timeout", "证件已过期"])
def test_error_messages_are_not_screen_chrome(line):
    from tickets.trends import is_screen_chrome

    assert not is_screen_chrome(line)


def test_top_error_lines_leave_out_the_clock_carrier_battery_and_buttons(admin_client):
    for _ in range(3):
        make_ticket(ocr_text="9:41\n中国移动 4G 85%\n上传失败，网络连接超时\n确定\n重试\nTry again")
    from tickets.trends import trends_for_admin

    assert [text for text, _ in trends_for_admin().top_errors] == ["上传失败，网络连接超时"]
    html = admin_client.get(TRENDS).content.decode()
    assert "上传失败，网络连接超时" in html and "9:41" not in html


def _links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def _query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_every_chart_element_links_to_the_queue_filtered_the_same_way(admin_client):
    today = timezone.localdate()
    ticket = make_ticket(categories=(("upload_network_failure", 0.9),), defects=("glare",),
                         ocr_text="Network error, please retry")
    html = admin_client.get(TRENDS).content.decode()
    svg = _chart_svg(html)
    assert "<polyline" in svg and "<circle" in svg
    assert svg.count("<a href=") == svg.count("<polyline") + svg.count("<circle"), "each line and point is a link"
    queue_links = [url for url in _links(html) if urlsplit(url).path == QUEUE]

    line = next(_query(u) for u in queue_links if _query(u).get("category") == "upload_network_failure"
                and _query(u)["received_at__gte"][:10] != today.isoformat())
    assert line["received_at__gte"][:10] == (today - timedelta(days=29)).isoformat()
    assert line["received_at__lt"][:10] == (today + timedelta(days=1)).isoformat()
    point = next(_query(u) for u in queue_links if _query(u).get("category") == "upload_network_failure"
                 and _query(u)["received_at__gte"][:10] == today.isoformat())
    assert point["received_at__lt"][:10] == (today + timedelta(days=1)).isoformat()
    assert any(_query(u).get("defect") == "glare" for u in queue_links), "the defect row links"
    assert any(_query(u).get("q") == "Network error, please retry" for u in queue_links), "the error line links"

    # and the links lead somewhere: the queue shows the ticket behind each of them
    for url in {u for u in queue_links if set(_query(u)) & {"category", "defect", "q"}}:
        page = admin_client.get(url)
        assert page.status_code == 200, url
        assert ticket.reference in page.content.decode(), url


def test_a_spike_alert_links_to_todays_tickets_of_its_category(admin_client):
    for _ in range(6):
        make_ticket(categories=(("upload_network_failure", 0.9),))
    html = admin_client.get(TRENDS).content.decode()
    alerts = html[html.index("kyc-alerts"):]
    url = _links(alerts)[0]
    assert _query(url)["category"] == "upload_network_failure"
    assert _query(url)["received_at__gte"][:10] == timezone.localdate().isoformat()


# --- incoming mail --------------------------------------------------------------------------------------------

def test_the_incoming_mail_list_shows_the_sender_and_links_the_ticket(admin_client, ingest):
    outcome = ingest(build_email(sender="Ann Lee <Ann@Example.com>", message_id="<list-1@example.com>"))
    incoming = IncomingMail.objects.get()
    assert (incoming.sender, incoming.ticket_id) == ("ann@example.com", outcome.ticket_id)
    html = admin_client.get(reverse("admin:tickets_incomingmail_changelist")).content.decode()
    assert "ann@example.com" in html
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    assert 'href="%s"' % reverse("admin:tickets_ticket_change", args=[ticket.pk]) in html
    assert ticket.reference in html


def test_a_duplicate_links_the_ticket_that_already_holds_it(ingest):
    first = ingest(build_email(message_id="<dup-1@example.com>", body="first words"))
    ingest(build_email(message_id="<dup-1@example.com>", body="other words"))
    duplicate = IncomingMail.objects.get(state=IncomingMail.State.DUPLICATE)
    assert duplicate.ticket_id == first.ticket_id and duplicate.sender == "ann@example.com"


def _quarantined(raw: bytes) -> IncomingMail:
    """A message stored and then quarantined (as a parser bug would leave it)."""
    from tickets.services.ingest import mail_store

    incoming, _ = mail_store(raw, source="imap:support")
    IncomingMail.objects.filter(pk=incoming.pk).update(state=IncomingMail.State.QUARANTINED,
                                                       reason="the parser failed unexpectedly (KeyError)")
    return IncomingMail.objects.get(pk=incoming.pk)


def test_a_quarantined_message_shows_its_headers_and_no_save_or_delete(admin_client):
    incoming = _quarantined(build_email(subject="=?utf-8?b?6K6k6K+B5aSx6LSl?=", sender="Bo <bo@example.com>",
                                        message_id="<q-1@example.com>"))
    assert incoming.sender == "bo@example.com", "the sender is known before the message parses"
    html = admin_client.get(reverse("admin:tickets_incomingmail_change", args=[incoming.pk])).content.decode()
    assert "认证失败" in html, "the decoded Subject header"
    assert "&lt;q-1@example.com&gt;" in html and "bo@example.com" in html
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert "/delete/" not in html
    assert reverse("admin:tickets_incomingmail_process", args=[incoming.pk]) in html


def test_process_again_turns_a_quarantined_message_into_a_ticket(admin_client, django_capture_on_commit_callbacks):
    incoming = _quarantined(build_email(message_id="<q-2@example.com>"))
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.post(reverse("admin:tickets_incomingmail_process", args=[incoming.pk]), follow=True)
    incoming.refresh_from_db()
    assert incoming.state == IncomingMail.State.INGESTED and incoming.ticket_id
    assert Ticket.objects.get(pk=incoming.ticket_id).reference in page.content.decode()
    html = page.content.decode()
    assert reverse("admin:tickets_incomingmail_process", args=[incoming.pk]) not in html, "nothing left to process"


def test_an_agent_sees_no_process_again_button_and_cannot_post_it(client, django_user_model):
    agent = django_user_model.objects.create_user("agent", password="pw", is_staff=True)
    agent.groups.add(Group.objects.get(name="KYC agents"))
    incoming = _quarantined(build_email(message_id="<q-3@example.com>"))
    client.force_login(agent)
    change = client.get(reverse("admin:tickets_incomingmail_change", args=[incoming.pk]))
    if change.status_code == 200:
        assert reverse("admin:tickets_incomingmail_process", args=[incoming.pk]) not in change.content.decode()
    response = client.post(reverse("admin:tickets_incomingmail_process", args=[incoming.pk]))
    assert response.status_code == 403
    assert IncomingMail.objects.get(pk=incoming.pk).state == IncomingMail.State.QUARANTINED


def test_incoming_mail_cannot_be_deleted_from_the_admin(admin_client):
    incoming = _quarantined(build_email(message_id="<q-4@example.com>"))
    response = admin_client.post(reverse("admin:tickets_incomingmail_delete", args=[incoming.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert IncomingMail.objects.filter(pk=incoming.pk).exists()


@pytest.mark.parametrize("raw", [b"", b"no headers at all", b"\x00\xff\xfe" * 1000, b"From: \xff\xfe<a@b>\r\n\r\n",
                                 b"X: " + b"a" * 300_000, b"From: =?x-unknown?q?=FF?= <a@b.c>\n\nbody"])
def test_reading_the_headers_of_a_stored_message_never_fails(raw):
    from tickets.ingest.headers import header_block, sender_in

    sender_in(header_block(raw))


def test_the_sender_is_read_from_from_then_sender_then_reply_to():
    from tickets.ingest.headers import header_block, sender_in

    assert sender_in(header_block(b"Sender: s@example.com\r\nFrom: =?utf-8?b?5byg5LiJ?= <Zhang@Example.com>\r\n\r\n")) \
        == "zhang@example.com"
    assert sender_in(header_block(b"From: undisclosed\r\nSender: s@example.com\r\n\r\n")) == "s@example.com"
    assert sender_in(header_block(b"Subject: hi\r\n\r\n")) == ""
