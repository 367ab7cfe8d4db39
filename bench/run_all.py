"""Run every bench under bench/ one after another with sizes small enough for a quick check (`make bench`).

    python bench/run_all.py [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--skip NAME ...]

ingest: 2000 messages on SQLite and on PostgreSQL; queue: 100,000 tickets on PostgreSQL,
database kept between runs (--reuse); analysis: bench/analysis_bench.py with its own defaults, when present;
load: 2000 tickets with attachments through a real Celery worker on Redis (needs PostgreSQL and Redis).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def _server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def benches(database_url: str | None) -> list[tuple[str, list[str]]]:
    """(name, command) of each bench to run, in order."""
    python = sys.executable
    runs = [("ingest (SQLite)", [python, os.path.join(HERE, "ingest_bench.py"), "--messages", "2000"])]
    if database_url:
        runs.append(("ingest (PostgreSQL)", [python, os.path.join(HERE, "ingest_bench.py"), "--messages", "2000",
                                             "--database-url", database_url]))
    queue_url = _server_url(database_url, "kyctriage_queue_bench") if database_url else None
    runs.append(("queue", [python, os.path.join(HERE, "queue_bench.py"), "--count", "100000", "--reuse",
                           *(["--database-url", queue_url] if queue_url else [])]))
    if os.path.exists(os.path.join(HERE, "analysis_bench.py")):
        runs.append(("analysis", [python, os.path.join(HERE, "analysis_bench.py")]))
    if database_url:
        runs.append(("load", [python, os.path.join(HERE, "load_test.py"), "--tickets", "2000",
                              "--database-url", database_url]))
    return runs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER),
                        help="a PostgreSQL server URL (any database on it) for the ingest, queue and load benches "
                             "(default: BENCH_DATABASE_URL, else %s)" % DEFAULT_SERVER)
    parser.add_argument("--skip", nargs="*", default=[],
                        help="bench names to leave out: ingest, queue, analysis, load")
    args = parser.parse_args(argv)

    failed = []
    for name, command in benches(args.database_url):
        if any(name.startswith(skip) for skip in args.skip):
            continue
        print("=== %s: %s" % (name, " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c
                                           for c in command[1:])), flush=True)
        started = time.perf_counter()
        code = subprocess.call(command, cwd=ROOT)
        print("--- %s: %s in %.0f s\n" % (name, "ok" if code == 0 else "FAILED (exit %d)" % code,
                                         time.perf_counter() - started), flush=True)
        if code:
            failed.append(name)
    if failed:
        print("failed or over budget: %s" % ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
