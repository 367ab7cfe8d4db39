"""How fast the agents' queue and ticket page answer with 100,000 tickets in PostgreSQL.

Run from the repository root:

    python bench/queue_bench.py [--database-url URL] [--count 100000] [--reuse]

Makes a fresh database (kept with --reuse, so a rerun skips the ~2 minute data load), migrates it, fills it with
`generate_tickets`, runs VACUUM ANALYZE, then requests each page through django.test.Client as a logged-in
superuser: once to warm up, then --runs times, reporting median and p95 milliseconds, SQL queries per request
and the slowest query. Each page's slowest query is run again under EXPLAIN ANALYZE; the table shows the plan
when it takes 20 ms or more, or the page is over budget.

Pages: the queue's first page (open tickets, oldest waiting first), each saved view (my open, unassigned, needs
an agent, due / overdue, all tickets), filters, search, a sort and a ticket page. Last run (2 Dec 2026, 2 cores
shared by eight sessions, load ~19): every budgeted page under 300 ms median (first page 202 ms, views 221-267
ms, category + language 286 ms, ticket page 222 ms), 8 queries per list page, 15 per ticket page; main 6ab1a1e
under the same load: first page 191 ms, category + language 322 ms (over), ticket page 272 ms. bench/README.md
has the table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit, urlunsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kyctriage_queue_bench"
BUDGET_MS = 300  # the queue's first page, each saved view, the filtered page and a ticket page answer within this
QUEUE = "/admin/tickets/ticket/"
EXPLAIN_FROM_MS = 20  # the table shows the plan of a page's slowest query when it takes this long


@dataclass
class PageResult:
    name: str
    url: str
    median_ms: float
    p95_ms: float
    cpu_ms: float
    queries: int
    rows: int | None
    slowest_query_ms: float
    slowest_query: str
    budget_ms: int | None = None
    notes: list = field(default_factory=list)
    explain: list = field(default_factory=list)

    @property
    def over_budget(self) -> bool:
        return self.budget_ms is not None and self.median_ms > self.budget_ms


def _admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))


def database_prepare(url: str, count: int, reuse: bool, seed: int) -> dict:
    """A migrated database holding `count` generated tickets; returns how long each step took."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    timings: dict[str, float | None] = {"generate_s": None}
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and not reuse:
            conn.execute('DROP DATABASE "%s" WITH (FORCE)' % name)
            exists = False
        if not exists:
            conn.execute('CREATE DATABASE "%s"' % name)
    env = _env(url)
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    timings["migrate_s"] = round(time.perf_counter() - started, 1)
    with psycopg.connect(url, autocommit=True) as conn:
        have = conn.execute("SELECT count(*) FROM tickets_ticket").fetchone()[0]
    if have != count:
        if have:  # a different size was kept: start again rather than mix sizes
            return database_prepare(url, count, reuse=False, seed=seed)
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "manage.py", "generate_tickets", "--count", str(count), "--seed",
                              str(seed)], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
        timings["generate_s"] = round(time.perf_counter() - started, 1)
        timings["generated"] = out.strip()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    return timings


_DATA_DIR: list[str] = []


def _env(url: str) -> dict:
    """The environment of the bench's Django: that database, no analysis, files in a scratch folder."""
    if not _DATA_DIR:
        _DATA_DIR.append(tempfile.mkdtemp(prefix="kyctriage-queue-bench-"))
    # DJANGO_DEBUG=1 unless given: a scratch run on a database server, not production (no keys needed)
    env = {"DJANGO_DEBUG": "1", **os.environ, "DATABASE_URL": url, "KYCTRIAGE_AUTO_PROCESS": "0",
           "KYCTRIAGE_DATA_DIR": _DATA_DIR[0]}
    env.pop("CELERY_BROKER_URL", None)
    return env


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def _explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def page_measure(client, name: str, url: str, runs: int, budget: int | None, check=None) -> PageResult:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    response = client.get(url)  # warm: templates, connection, caches
    if response.status_code != 200:
        raise SystemExit("%s answered %d" % (url, response.status_code))
    times, cpu_times, query_counts = [], [], []
    slowest = (0.0, "")
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
        query_counts.append(len(captured.captured_queries))
        for query in captured.captured_queries:
            if float(query["time"]) * 1000 > slowest[0]:
                slowest = (float(query["time"]) * 1000, query["sql"])
    result = PageResult(name=name, url=url, median_ms=round(statistics.median(times), 1),
                        p95_ms=round(_percentile(times, 95), 1), cpu_ms=round(statistics.median(cpu_times), 1),
                        queries=max(query_counts), rows=None, slowest_query_ms=round(slowest[0], 1),
                        slowest_query=slowest[1], budget_ms=budget)
    # One more request, untimed, with the test instrumentation that exposes the template context.
    setup_test_environment()
    try:
        response = client.get(url)
    finally:
        teardown_test_environment()
    changelist = response.context.get("cl") if response.context is not None else None
    if changelist is not None:
        pks = [obj.pk for obj in changelist.result_list]
        result.rows = len(pks)
        if len(set(pks)) != len(pks):
            result.notes.append("the page lists %d rows but only %d distinct tickets (the filter's join "
                                "repeats tickets)" % (len(pks), len(set(pks))))
        distinct = changelist.queryset.order_by().values("pk").distinct().count()
        from tickets.admin.paginator import CAP

        capped = changelist.result_count == CAP + 1 and distinct > CAP  # the queue counts up to 1,000+
        if changelist.result_count != distinct and not capped:
            result.notes.append("the queue counts %d results for %d distinct tickets (duplicate rows from a join)"
                                % (changelist.result_count, distinct))
        if check is not None:
            note = check(changelist.result_list)
            if note:
                result.notes.append(note)
    result.explain = _explain(result.slowest_query)
    return result


def _plan_ms(plan: list[str]) -> float:
    for line in plan:
        if line.strip().startswith("Execution Time:"):
            return float(line.split(":")[1].split()[0])
    return 0.0


def _key_plan_lines(plan: list[str], limit: int = 14) -> list[str]:
    """The lines that explain a plan's time: scans, sorts, filters and the totals."""
    keys = ("Scan", "Sort", "Join", "Loop", "Aggregate", "Rows Removed", "Limit", "Filter", "Execution Time",
            "Unique", "Bitmap", "Hash")
    lines = [line for line in plan if any(k in line for k in keys)]
    return lines[:limit]


def pages_measure(url: str, runs: int) -> list[PageResult]:
    """Log in as a superuser and time each page of the queue in this process."""
    os.environ.update(_env(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyctriage.settings")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from tickets.admin.tickets import TicketAdmin
    from tickets.models import Ticket

    # one of the generated agents (a third of the tickets are assigned among five), so "My open" has rows
    user = get_user_model().objects.filter(username="bench-agent-1").first() or get_user_model().objects.create_user(
        "bench-agent-1")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.force_login(user)

    # The column whose admin ordering is the confidence; the action checkbox is column 0.
    column = next(i for i, name in enumerate(TicketAdmin.list_display)
                  if "top_confidence" in str(getattr(getattr(TicketAdmin, name, None), "admin_order_field", "")))
    confidence_sort = column + 1
    ticket = (Ticket.objects.annotate(n=Count("attachments", distinct=True)).filter(n=2)
              .order_by("-received_at").first())
    pages = [
        ("first page (open)", QUEUE, BUDGET_MS),
        ("view: my open", QUEUE + "?view=mine", BUDGET_MS),
        ("view: unassigned", QUEUE + "?view=unassigned", BUDGET_MS),
        ("view: needs an agent", QUEUE + "?view=needs_agent", BUDGET_MS),
        ("view: due / overdue", QUEUE + "?view=due", BUDGET_MS),
        ("view: all tickets", QUEUE + "?view=all", BUDGET_MS),
        ("category + language", QUEUE + "?category=upload_network_failure&language=zh", BUDGET_MS),
        ("search 网络", QUEUE + "?q=%E7%BD%91%E7%BB%9C", None),
        ("sorted by confidence", QUEUE + "?o=%d" % confidence_sort, None),
        ("defect glare", QUEUE + "?defect=glare", None),
        ("kind screenshot", QUEUE + "?kind=screenshot", None),
        ("confidence low", QUEUE + "?confidence=low", None),
        ("ticket page", QUEUE + "%d/change/" % ticket.pk, BUDGET_MS),
    ]
    checks = {"sorted by confidence": _check_confidence_order, "first page (open)": _check_oldest_waiting_first,
              "view: due / overdue": _check_due_order}
    return [page_measure(client, name, page_url, runs, budget, checks.get(name)) for name, page_url, budget in pages]


def _check_oldest_waiting_first(tickets) -> str:
    """The default queue: open tickets, the customer who has waited longest first."""
    if any(t.workflow != "open" for t in tickets):
        return "the default queue lists tickets that are not open"
    waited = [t.waiting_since for t in tickets if t.waiting_since is not None]
    return "" if waited == sorted(waited) else "rows are not oldest waiting first"


def _check_due_order(tickets) -> str:
    due = [t.due_at for t in tickets]
    if None in due or due != sorted(due):
        return "the due view is not in due-time order"
    return ""


def _check_confidence_order(tickets) -> str:
    """The confidence sort should put the most confident tickets first, and say so when it does not."""
    values = [t.top_confidence for t in tickets]
    known = [v for v in values if v is not None]
    if known != sorted(known, reverse=True):
        return "rows are not in descending confidence order"
    if values and values[0] is None:
        return ("the confidence sort lists %d tickets without an applied category (NULL) before the most confident "
                "ones (PostgreSQL sorts NULLs first in DESC)" % values.count(None))
    return ""


def _table(results: list[PageResult], count: int, timings: dict) -> str:
    lines = ["queue with %d tickets on PostgreSQL (%d CPUs, load %.1f; generate %s s)" % (
        count, os.cpu_count() or 0, os.getloadavg()[0], timings.get("generate_s") or "reused"),
        "%-22s %9s %8s %8s %8s %6s %12s  %s" % ("page", "median ms", "p95 ms", "CPU ms", "queries", "rows",
                                                "slowest SQL", "verdict")]
    for r in results:
        verdict = "" if r.budget_ms is None else ("OVER %d ms" % r.budget_ms if r.over_budget
                                                  else "ok (< %d ms)" % r.budget_ms)
        lines.append("%-22s %9.1f %8.1f %8.1f %8d %6s %9.1f ms  %s" % (
            r.name, r.median_ms, r.p95_ms, r.cpu_ms, r.queries, "-" if r.rows is None else r.rows,
            r.slowest_query_ms, verdict))
    for r in results:
        for note in r.notes:
            lines.append("! %s: %s" % (r.name, note))
    for r in results:
        if r.over_budget or _plan_ms(r.explain) >= EXPLAIN_FROM_MS:
            lines.append("\n%s %s: slowest query %.1f ms (EXPLAIN ANALYZE: %.1f ms)\n  %s" % (
                r.name, r.url, r.slowest_query_ms, _plan_ms(r.explain), r.slowest_query[:600]))
            lines.extend("    " + line for line in _key_plan_lines(r.explain))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="PostgreSQL database to (re)create and fill")
    parser.add_argument("--count", type=int, default=100_000, help="tickets to generate (default 100000)")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds --count tickets")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=10, help="timed requests per page (default 10)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the queue bench needs PostgreSQL (--database-url postgres://...)")

    timings = database_prepare(args.database_url, args.count, args.reuse, args.seed)
    results = pages_measure(args.database_url, args.runs)
    if args.json:
        print(json.dumps({"bench": "queue", "tickets": args.count, "cpus": os.cpu_count(), "load": os.getloadavg()[0],
                          **timings, "pages": [{**asdict(r), "over_budget": r.over_budget} for r in results]},
                         indent=2, ensure_ascii=False))
    else:
        print(_table(results, args.count, timings))
    return 1 if any(r.over_budget for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
