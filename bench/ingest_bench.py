"""How fast `ingest_email` turns an mbox into tickets, and whether its memory stays flat as the mbox grows.

Run from the repository root:

    python bench/ingest_bench.py [--messages 5000] [--database-url postgres://postgres@127.0.0.1:5432/postgres]

The mbox (mixed Chinese/English, about half with a 20-200 KB image, some GB2312/Big5 bodies, one in ten an
undeclared Windows-1252 European body and one in twenty UTF-8 with a bad byte, about one in five a reply to an
earlier message) is written to a temporary folder. Each run gets a fresh database and data
folder, runs `migrate`, then times `ingest_email --no-progress MBOX` as its own process with
KYCTRIAGE_AUTO_PROCESS=0 (store only, no analysis). Peak RSS is that process's own (os.wait4), so the migrate
run does not blur it. The same is done for N/4 messages: equal peaks mean the reader streams.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit, urlunsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SUBJECTS_ZH = ["实名认证失败", "KYC 审核一直没有结果", "上传证件照片失败", "人脸识别不通过", "身份证信息填错了",
               "认证页面打不开", "护照上传后提示不清晰", "为什么我的认证被拒绝"]
SUBJECTS_EN = ["KYC verification failed", "Identity check still pending", "Cannot upload my passport",
               "Face recognition keeps failing", "Wrong date of birth entered", "Verification page does not load",
               "ID photo rejected as blurry", "Why was my verification rejected?"]
BODIES_ZH = [
    "您好，我上传身份证的时候一直提示网络错误，重试了好几次还是不行，请帮忙看看。",
    "我的人脸识别一直失败，光线已经很充足了，手机是华为 P30。截图见附件。",
    "认证提交三天了还在审核中，请问什么时候能有结果？",
    "护照照片上传后系统说有反光看不清，我该怎么拍？",
    "我把出生日期填错了，现在无法修改，请帮我更正。",
    "页面一直加载不出来，清除缓存也没有用。",
]
BODIES_ZH_TRADITIONAL = [  # for the Big5 bodies
    "您好，我上傳身份證的時候一直顯示網路錯誤，請幫忙處理。",
    "人臉辨識一直失敗，請問要怎麼辦？附上截圖。",
]
BODIES_EN = [
    "Hello, my ID upload fails with a network error every time. I tried Wi-Fi and mobile data.",
    "The face check says my face does not match the document, but it is my own passport.",
    "I submitted my documents a week ago and the status is still 'under review'.",
    "The app says my photo has glare. I attached a screenshot of the error.",
    "I typed my surname wrong during verification, how can I fix it?",
    "The verification page stays blank on my phone (Safari, iOS 15).",
]
BODIES_EU = [  # sent as undeclared 8-bit Windows-1252: the statistical charset guess runs on these
    "Grüße, meine Verifizierung ist fehlgeschlagen. Das Foto ist scharf, Herr Müller hat es geprüft.",
    "Bonjour, la vérification échoue à chaque fois, même avec une photo très nette. Merci d'avance.",
    "Hola señor, la verificación falla siempre. ¿Qué puedo hacer? El pago de 20 € ya está hecho.",
    "Olá, a verificação da formação falhou outra vez. Não sei o que fazer, obrigado.",
]
NAMES = ["Ann Lee", "王小明", "Chen Wei", "李娜", "Tom Baker", "张伟", "Maria Garcia", "刘洋"]


@dataclass
class RunResult:
    messages: int
    replies: int
    with_attachment: int
    mbox_mb: float
    seconds: float
    messages_per_s: float
    peak_rss_mb: float
    counts: dict = field(default_factory=dict)
    checks_ok: bool = False
    problems: list = field(default_factory=list)


def _images() -> list[tuple[str, bytes, str]]:
    """A few screenshots/photos of 20-200 KB, made once and reused: (filename, bytes, content type)."""
    from PIL import Image, ImageDraw

    rng = random.Random(7)
    made = []
    # (format, width, height, noisy rows): the noise sets the compressed size (about 25, 80, 190 and 180 KB)
    for fmt, width, height, noise_rows in (("PNG", 360, 640, 18), ("JPEG", 720, 1280, 120),
                                           ("PNG", 480, 800, 125), ("JPEG", 1024, 768, 200)):
        image = Image.new("RGB", (width, height), (245, 245, 245))
        draw = ImageDraw.Draw(image)
        draw.rectangle([20, 40, width - 20, 120], fill=(220, 50, 50))
        draw.text((30, 60), "Upload failed: network error (code 1003)", fill=(255, 255, 255))
        noise = rng.randbytes(width * noise_rows * 3)
        image.paste(Image.frombytes("RGB", (width, noise_rows), noise), (0, height - noise_rows))
        buffer = io.BytesIO()
        image.save(buffer, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
        data = buffer.getvalue()
        extension = "png" if fmt == "PNG" else "jpg"
        made.append(("screenshot_%d.%s" % (len(made) + 1, extension), data, "image/%s" % fmt.lower()))
    return made


def mbox_write(path: str, count: int, seed: int = 1) -> dict:
    """Write `count` messages to an mbox; returns how many are replies and how many carry an image."""
    rng = random.Random(seed)
    images = _images()
    start = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)
    sent: list[tuple[str, str, str]] = []  # (message-id, sender, subject) of earlier messages
    replies = with_attachment = 0
    with open(path, "wb") as handle:
        for number in range(count):
            msg = EmailMessage()
            date = start + timedelta(minutes=3 * number)
            is_reply = bool(sent) and rng.random() < 0.2
            if is_reply:
                parent_id, sender, subject = rng.choice(sent)
                msg["Subject"] = "Re: " + subject
                msg["In-Reply-To"] = parent_id
                msg["References"] = parent_id
                replies += 1
            else:
                name = rng.choice(NAMES)
                sender = "%s <user%d@example.com>" % (name, number)
                subject = rng.choice(SUBJECTS_ZH + SUBJECTS_EN)
                msg["Subject"] = subject
            message_id = "<bench-%d-%d@example.com>" % (seed, number)
            msg["From"] = sender
            msg["To"] = "kyc@example.com"
            msg["Date"] = format_datetime(date)
            msg["Message-ID"] = message_id
            roll = rng.random()
            kind = ""
            if roll < 0.1:
                msg.set_content(rng.choice(BODIES_ZH), charset="gb2312", cte="base64")
            elif roll < 0.15:
                msg.set_content(rng.choice(BODIES_ZH_TRADITIONAL), charset="big5", cte="base64")
            elif roll < 0.25:
                msg.set_content(rng.choice(BODIES_EU) + "\n", charset="windows-1252", cte="8bit")
                kind = "undeclared"
            elif roll < 0.30:
                msg.set_content(rng.choice(BODIES_EU) + "\nGracias.\n", charset="utf-8", cte="8bit")
                kind = "bad-utf8"
            elif roll < 0.55:
                msg.set_content(rng.choice(BODIES_ZH) + "\n\n谢谢！\n" + sender.split("<")[0])
            else:
                msg.set_content(rng.choice(BODIES_EN) + "\n\nFrom time to time it works.\nThanks,\n"
                                + sender.split("<")[0])
            if rng.random() < 0.5:
                filename, payload, content_type = rng.choice(images)
                maintype, subtype = content_type.split("/")
                msg.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
                with_attachment += 1
            if not is_reply:
                sent.append((message_id, sender, subject))
            handle.write(b"From bench@example.com %s\n" % date.strftime("%a %b %d %H:%M:%S %Y").encode())
            buffer = io.BytesIO()
            BytesGenerator(buffer, mangle_from_=True, maxheaderlen=0).flatten(msg, linesep="\n")
            data = buffer.getvalue()
            if kind == "undeclared":
                data = data.replace(b'; charset="windows-1252"', b"", 1)
            elif kind == "bad-utf8":
                data = data.replace(b"\nGracias.", b"\nGracias \xff.", 1)
            handle.write(data.rstrip(b"\n") + b"\n\n")
    return {"replies": replies, "with_attachment": with_attachment}


def _pg_admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))


def _pg_database_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def pg_create(url: str) -> tuple[str, str]:
    import psycopg

    name = "kyctriage_bench_%s" % secrets.token_hex(4)
    with psycopg.connect(_pg_admin_url(url), autocommit=True) as conn:
        conn.execute('CREATE DATABASE "%s"' % name)
    return name, _pg_database_url(url, name)


def pg_drop(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_pg_admin_url(url), autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def _run(args: list[str], env: dict, log_path: str) -> tuple[float, float, int]:
    """Run manage.py args; returns (seconds, peak RSS in MB of that process alone, exit code)."""
    with open(log_path, "ab") as log:
        log.write(("$ manage.py %s\n" % " ".join(args)).encode())
        log.flush()
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode  # ru_maxrss is in KiB on Linux


_COUNT_SCRIPT = """
import json
from tickets.models import Attachment, IncomingMail, Message, Ticket
from django.db.models import Count
states = dict(IncomingMail.objects.values_list("state").annotate(n=Count("id")))
# the European bodies (undeclared Windows-1252, UTF-8 with a bad byte): how many kept their accented letters
european = Message.objects.filter(text_body__regex=r"(Verifizierung|Bonjour|Hola|obrigado)")
readable = european.filter(text_body__regex=r"[üéñçã€]")
print("COUNTS" + json.dumps({"tickets": Ticket.objects.count(), "messages": Message.objects.count(),
      "attachments": Attachment.objects.count(), "incoming": states,
      "european_bodies": european.count(), "european_bodies_readable": readable.count()}))
"""


def ingest_run(count: int, database_url: str | None, workdir: str, seed: int = 1) -> RunResult:
    """One measured ingest of `count` messages into a fresh database and data folder."""
    data_dir = os.path.join(workdir, "data-%d" % count)
    os.makedirs(data_dir)
    mbox = os.path.join(workdir, "bench-%d.mbox" % count)
    made = mbox_write(mbox, count, seed=seed)
    log_path = os.path.join(workdir, "run-%d.log" % count)
    # DJANGO_DEBUG=1 unless given: a scratch run on a database server, not production (no keys needed)
    env = {"DJANGO_DEBUG": "1", **os.environ, "KYCTRIAGE_AUTO_PROCESS": "0", "KYCTRIAGE_DATA_DIR": data_dir,
           "KYCTRIAGE_LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"}
    env.pop("CELERY_BROKER_URL", None)
    pg_name = None
    if database_url:
        pg_name, env["DATABASE_URL"] = pg_create(database_url)
    else:
        env.pop("DATABASE_URL", None)
    try:
        _, _, code = _run(["migrate", "--noinput", "-v", "0"], env, log_path)
        if code:
            raise SystemExit("migrate failed, see %s" % log_path)
        seconds, peak, code = _run(["ingest_email", "--no-progress", mbox], env, log_path)
        if code:
            raise SystemExit("ingest_email failed (exit %d), see %s" % (code, log_path))
        out = subprocess.run([sys.executable, "manage.py", "shell", "-c", _COUNT_SCRIPT], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True).stdout
        counts = json.loads(out.split("COUNTS", 1)[1])
    finally:
        if pg_name:
            pg_drop(database_url, pg_name)
    result = RunResult(messages=count, replies=made["replies"], with_attachment=made["with_attachment"],
                       mbox_mb=round(os.path.getsize(mbox) / 1e6, 1), seconds=round(seconds, 2),
                       messages_per_s=round(count / seconds, 1), peak_rss_mb=round(peak, 1), counts=counts)
    expected_tickets = count - made["replies"]
    if counts["tickets"] != expected_tickets:
        result.problems.append("%d tickets, expected %d (one per message that is not a reply)"
                               % (counts["tickets"], expected_tickets))
    if counts["messages"] != count:
        result.problems.append("%d messages stored, expected %d" % (counts["messages"], count))
    if counts["attachments"] != made["with_attachment"]:
        result.problems.append("%d attachments stored, expected %d" % (counts["attachments"], made["with_attachment"]))
    if counts.get("european_bodies_readable") != counts.get("european_bodies"):
        result.problems.append("%s of %s European bodies kept their accented letters"
                               % (counts.get("european_bodies_readable"), counts.get("european_bodies")))
    other_states = {k: v for k, v in counts["incoming"].items() if k != "ingested"}
    if other_states:
        result.problems.append("not all mail ingested: %s (log: %s)" % (other_states, log_path))
    result.checks_ok = not result.problems
    os.remove(mbox)
    shutil.rmtree(data_dir, ignore_errors=True)
    return result


def _table(label: str, results: list[RunResult]) -> str:
    lines = ["ingest_email on %s (KYCTRIAGE_AUTO_PROCESS=0, %d CPUs)" % (label, os.cpu_count() or 0),
             "%9s %8s %8s %9s %9s %8s %13s  %s" % ("messages", "replies", "images", "mbox MB", "seconds", "msg/s",
                                                  "peak RSS MB", "checks")]
    for r in results:
        lines.append("%9d %8d %8d %9.1f %9.2f %8.1f %13.1f  %s" % (
            r.messages, r.replies, r.with_attachment, r.mbox_mb, r.seconds, r.messages_per_s, r.peak_rss_mb,
            "ok" if r.checks_ok else "FAILED: " + "; ".join(r.problems)))
    if len(results) == 2:
        small, big = sorted(results, key=lambda r: r.messages)
        lines.append("peak RSS at %dx the messages: %+.1f MB (%.2fx) -> %s" % (
            big.messages // max(small.messages, 1), big.peak_rss_mb - small.peak_rss_mb,
            big.peak_rss_mb / small.peak_rss_mb,
            "flat: the mbox is streamed" if big.peak_rss_mb < small.peak_rss_mb * 1.25 + 10 else "GROWS"))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000, help="messages in the measured mbox (default 5000)")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server URL; a fresh kyctriage_bench_<random> database is made and dropped "
                             "(default: SQLite in the temporary folder)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the N/4 run that checks memory stays flat")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix="kyctriage-ingest-bench-")
    sizes = [args.messages] if args.no_scaling else [max(args.messages // 4, 1), args.messages]
    try:
        results = [ingest_run(n, args.database_url, workdir) for n in sizes]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    label = "PostgreSQL" if args.database_url else "SQLite"
    if args.json:
        print(json.dumps({"bench": "ingest", "database": label, "cpus": os.cpu_count(),
                          "runs": [asdict(r) for r in results]}, indent=2))
    else:
        print(_table(label, results))
    return 0 if all(r.checks_ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
