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
    from tickets.admin.tickets import TicketAdmin

    column = TicketAdmin.list_display.index("chips") + 1  # the action checkbox is column 0
    html = admin_client.get(URL, {"o": str(column)}).content.decode()
    assert html.index(sure.reference) < html.index(empty.reference)


# --- the queue as a work list (issue 13, item 5) ---------------------------------------------------------------

def _rows(html: str, *tickets) -> list:
    """The given tickets in the order the page lists them (absent ones left out)."""
    return sorted((t for t in tickets if t.reference in html), key=lambda t: html.index(t.reference))


def test_the_queue_lists_open_tickets_the_longest_waiting_first(admin_client):
    from datetime import timedelta

    from django.utils import timezone

    from tickets.models import Ticket

    now = timezone.now()
    newest = make_ticket(subject="newest", received_at=now - timedelta(minutes=5))
    oldest = make_ticket(subject="oldest", received_at=now - timedelta(days=2))
    middle = make_ticket(subject="middle", received_at=now - timedelta(hours=3))
    closed = make_ticket(subject="closed", received_at=now - timedelta(days=9))
    Ticket.objects.filter(pk=closed.pk).update(workflow=Ticket.Workflow.CLOSED)
    html = admin_client.get(URL).content.decode()
    assert _rows(html, newest, oldest, middle, closed) == [oldest, middle, newest]


def test_a_ticket_we_answered_waits_from_the_customers_next_message(ingest, on_commit, admin_user, settings):
    """Our reply stops the clock; the customer's answer starts it again from that answer, not from the ticket."""
    from tickets.models import Ticket
    from tickets.services.replies import reply_send

    from ..factories import build_email

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ticket = Ticket.objects.get(pk=ingest(build_email(message_id="<first@example.com>")).ticket_id)
    assert ticket.waiting_since == ticket.received_at and ticket.due_at > ticket.waiting_since
    on_commit(reply_send, ticket, body="Please send a sharper photo.", user=admin_user)
    ticket.refresh_from_db()
    assert ticket.waiting_since is None and ticket.due_at is None
    ingest(build_email(message_id="<second@example.com>", subject="Re: KYC failed",
                       headers={"In-Reply-To": "<first@example.com>"}))
    ticket.refresh_from_db()
    answer = ticket.messages.filter(direction="in").order_by("-sent_at").first()
    assert ticket.waiting_since == answer.sent_at > ticket.received_at
    assert ticket.due_at > ticket.waiting_since


def test_the_due_time_comes_from_the_most_urgent_category(settings):
    from datetime import timedelta

    from tickets.due import DUE_HOURS
    from tickets.services.corrections import category_assignment_changed

    settings.KYCTRIAGE_DUE_HOURS = {"": 30}
    plain = make_ticket(subject="plain", categories=(("review_pending", 0.9),))
    urgent = make_ticket(subject="urgent", categories=(("review_pending", 0.9), ("account_security_risk", 0.9)))
    unsure = make_ticket(subject="unsure", categories=(("account_security_risk", 0.3),))  # suggested, not applied
    for ticket in (plain, urgent, unsure):
        ticket.refresh_from_db()
    assert plain.due_at - plain.waiting_since == timedelta(hours=DUE_HOURS["review_pending"])
    assert urgent.due_at - urgent.waiting_since == timedelta(hours=DUE_HOURS["account_security_risk"])
    assert unsure.due_at - unsure.waiting_since == timedelta(hours=30)  # the default target, from settings
    category_assignment_changed(plain, "identity_info_error", added=True)
    plain.refresh_from_db()
    assert plain.due_at - plain.waiting_since == timedelta(hours=DUE_HOURS["identity_info_error"])


def test_the_migration_fills_the_due_time_of_existing_tickets_as_the_service_does():
    import importlib

    from django.apps import apps

    from tickets.models import Ticket
    from tickets.services.tickets import ticket_due_fields

    fill_due = importlib.import_module("tickets.migrations.0013_due").fill_due
    tickets = [make_ticket(subject="a"), make_ticket(subject="b", categories=(("account_security_risk", 0.9),)),
               make_ticket(subject="c", categories=())]
    Ticket.objects.update(waiting_since=None, due_at=None)
    fill_due(apps, None)
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.due_at is not None
        assert {"waiting_since": ticket.waiting_since, "due_at": ticket.due_at} == ticket_due_fields(ticket)


def test_due_times_are_coloured_when_close_or_past(admin_client):
    from datetime import timedelta

    from django.utils import timezone

    from tickets.models import Ticket

    late = make_ticket(subject="late")
    soon = make_ticket(subject="soon")
    later = make_ticket(subject="later")
    Ticket.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=2))
    Ticket.objects.filter(pk=soon.pk).update(due_at=timezone.now() + timedelta(hours=1))
    Ticket.objects.filter(pk=later.pk).update(due_at=timezone.now() + timedelta(hours=20))
    html = admin_client.get(URL).content.decode()
    assert html.count("kyc-due-late") == 1 and "overdue" in html
    assert html.count("kyc-due-soon") == 1 and html.count("kyc-due-ok") == 1


@pytest.mark.parametrize("view", ["mine", "unassigned", "needs_agent", "due"])
def test_each_saved_view_lists_its_tickets_only(admin_client, admin_user, django_user_model, view):
    from datetime import timedelta

    from django.utils import timezone

    from tickets.models import Ticket

    colleague = django_user_model.objects.create_user("colleague", is_staff=True)
    mine = make_ticket(subject="mine")
    theirs = make_ticket(subject="theirs")
    nobody = make_ticket(subject="nobody", categories=(("other", 0.3),))
    closed_mine = make_ticket(subject="closed mine", categories=(("other", 0.3),))
    Ticket.objects.filter(pk__in=[mine.pk, closed_mine.pk]).update(assignee=admin_user)
    Ticket.objects.filter(pk=theirs.pk).update(assignee=colleague, due_at=timezone.now() + timedelta(hours=1))
    Ticket.objects.filter(pk=closed_mine.pk).update(workflow=Ticket.Workflow.CLOSED,
                                                    due_at=timezone.now() - timedelta(hours=1))
    Ticket.objects.filter(pk__in=[mine.pk, nobody.pk]).update(due_at=timezone.now() + timedelta(days=1))
    expected = {"mine": [mine], "unassigned": [nobody], "needs_agent": [nobody], "due": [theirs]}[view]
    html = admin_client.get(URL, {"view": view}).content.decode()
    assert _rows(html, mine, theirs, nobody, closed_mine) == expected
    assert 'aria-current="page"' in html and "kyc-view-%s selected" % view in html


def test_the_saved_views_are_one_click_links_above_the_queue(admin_client):
    make_ticket()
    html = admin_client.get(URL).content.decode()
    for view in ("open", "mine", "unassigned", "needs_agent", "due", "all"):
        assert 'href="?view=%s"' % view in html
    assert "kyc-view-open selected" in html


def test_a_search_without_a_view_finds_closed_tickets_too(admin_client):
    from tickets.models import Ticket

    closed = make_ticket(subject="closed long ago")
    Ticket.objects.filter(pk=closed.pk).update(workflow=Ticket.Workflow.CLOSED)
    assert closed.reference not in admin_client.get(URL).content.decode()
    assert closed.reference in admin_client.get(URL, {"q": closed.reference}).content.decode()
    assert closed.reference in admin_client.get(URL, {"workflow__exact": "closed"}).content.decode()


def test_the_due_view_lists_the_earliest_due_first(admin_client):
    from datetime import timedelta

    from django.utils import timezone

    from tickets.models import Ticket

    now = timezone.now()
    first, second = make_ticket(subject="first"), make_ticket(subject="second")
    Ticket.objects.filter(pk=first.pk).update(due_at=now - timedelta(hours=5), waiting_since=now)
    Ticket.objects.filter(pk=second.pk).update(due_at=now - timedelta(hours=1), waiting_since=now - timedelta(days=1))
    html = admin_client.get(URL, {"view": "due"}).content.decode()
    assert _rows(html, first, second) == [first, second]


def test_agents_land_on_the_queue_and_can_still_reach_every_section(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == URL
    assert client.get("/admin/", {"sections": "1"}).status_code == 200
    assert client.get("/").status_code == 302
    client.logout()
    assert client.get("/admin/").url.startswith("/admin/login/")


@pytest.mark.parametrize("action,check", [
    ("close_tickets", lambda t, user: t.workflow == "closed" and t.closed_at is not None),
    ("assign_to_me", lambda t, user: t.assignee == user),
    ("mark_waiting", lambda t, user: t.workflow == "waiting"),
])
def test_the_workflow_actions_change_the_selected_tickets_only(admin_client, admin_user, action, check):
    chosen, other = make_ticket(subject="chosen"), make_ticket(subject="other")
    response = admin_client.post(URL, {"action": action, "_selected_action": [chosen.pk]}, follow=True)
    assert response.status_code == 200 and "1 ticket" in response.content.decode()
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert check(chosen, admin_user) and not check(other, admin_user)


def test_the_queue_serves_its_keyboard_shortcuts_with_a_visible_hint_and_a_skip_link(admin_client):
    from django.contrib.staticfiles import finders

    make_ticket()
    html = admin_client.get(URL).content.decode()
    assert "tickets/queue.js" in html and 'id="kyc-shortcuts"' in html and "<kbd>j</kbd>" in html
    assert html.index("kyc-skip-to-ticket") < html.index('id="header"')  # among the first links Tab reaches
    script = open(finders.find("tickets/queue.js"), encoding="utf-8").read()
    for key in ('"j"', '"k"', '"Enter"', '"r"', '"e"', '"a"', "close_tickets", "assign_to_me"):
        assert key in script
    assert "INPUT|TEXTAREA|SELECT" in script  # no shortcut while typing in a field


def test_the_reference_column_never_wraps():
    from django.contrib.staticfiles import finders

    css = open(finders.find("tickets/queue.css"), encoding="utf-8").read()
    assert ".field-reference_display" in css.split("{white-space:nowrap}")[0]


def test_every_category_chip_meets_wcag_aa_contrast():
    """White 11-px text on each chip colour: at least 4.5:1 (two of them were 3.95 and 4.17)."""
    from tickets.admin.display import CATEGORY_COLOURS, CHIP_TEXT, FALLBACK_COLOUR, contrast_ratio
    from tickets.taxonomy import Category

    assert set(CATEGORY_COLOURS) == set(Category.values)
    for code, colour in {**CATEGORY_COLOURS, "fallback": FALLBACK_COLOUR}.items():
        assert contrast_ratio(CHIP_TEXT, colour) >= 4.5, (code, colour, contrast_ratio(CHIP_TEXT, colour))
    assert round(contrast_ratio("#ffffff", "#000000"), 1) == 21.0
    assert round(contrast_ratio("#ffffff", "#9a7d0a"), 2) == 3.95  # the old face_document_mismatch chip


def test_the_due_and_badge_colours_meet_wcag_aa_contrast():
    import re

    from django.contrib.staticfiles import finders

    from tickets.admin.display import contrast_ratio

    css = open(finders.find("tickets/queue.css"), encoding="utf-8").read()
    css += open(finders.find("tickets/admin.css"), encoding="utf-8").read()
    pairs = re.findall(r"\.(kyc-due-\w+|kyc-badge)\{[^}]*background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})", css)
    assert {name for name, _, _ in pairs} == {"kyc-due-soon", "kyc-due-late", "kyc-badge"}
    for name, background, colour in pairs:
        assert contrast_ratio(colour, background) >= 4.5, name


def test_the_display_helpers_are_still_importable_from_the_queue_module():
    from tickets.admin import display, tickets, trends

    assert tickets.category_chips is display.category_chips and tickets.defect_badges is display.defect_badges
    assert trends.CATEGORY_COLOURS is display.CATEGORY_COLOURS


def test_refresh_due_applies_changed_targets_to_tickets_not_closed(settings):
    from datetime import timedelta

    from django.core.management import call_command

    from tickets.models import Ticket

    open_ticket, closed = make_ticket(subject="open"), make_ticket(subject="closed")
    Ticket.objects.filter(pk=closed.pk).update(workflow=Ticket.Workflow.CLOSED)
    before = {t.pk: t.due_at for t in Ticket.objects.all()}
    settings.KYCTRIAGE_DUE_HOURS = {"document_requirements": 1}
    call_command("refresh_due")
    open_ticket.refresh_from_db()
    assert open_ticket.due_at == open_ticket.waiting_since + timedelta(hours=1)
    assert Ticket.objects.get(pk=closed.pk).due_at == before[closed.pk]
