"""Fill the database with realistic triaged tickets, fast, for benchmarks and load tests (never production)."""

import random
import time
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from ...conf import conf
from ...due import due_at, due_hours_table
from ...services.triage import evidence_records
from ...triage import evidence
from ...models import Attachment, AttachmentDefect, CategoryAssignment, Message, Ticket
from ...taxonomy import AttachmentKind, Category, Defect, TicketStatus

# Category codes with rough real-world weights, and the words that made the triage pick them.
CATEGORIES = [
    (Category.UPLOAD_NETWORK_FAILURE, 18, "网络错误"), (Category.DOCUMENT_REQUIREMENTS, 20, "反光"),
    (Category.FACE_RECOGNITION_FAILED, 15, "人脸识别"), (Category.REVIEW_PENDING, 14, "审核中"),
    (Category.IDENTITY_INFO_ERROR, 9, "填错"), (Category.PAGE_LOAD_CACHE, 7, "加载"),
    (Category.FACE_DOCUMENT_MISMATCH, 5, "not match"), (Category.ACCOUNT_SECURITY_RISK, 4, "风险"),
    (Category.DEVICE_UNSUPPORTED, 4, "device"), (Category.OTHER, 4, "other"),
]
SUBJECTS = {
    "zh": ["实名认证失败", "KYC 审核一直没有结果", "上传证件照片失败", "人脸识别不通过", "身份证信息填错了",
           "认证页面打不开", "护照上传后提示不清晰", "为什么我的认证被拒绝", "上传一直转圈，网络正常"],
    "en": ["KYC verification failed", "Identity check still pending", "Cannot upload my passport",
           "Face recognition keeps failing", "Wrong date of birth entered", "Verification page does not load",
           "ID photo rejected as blurry", "Why was my verification rejected?", "Upload stuck at 99%"],
}
SENTENCES = {
    "zh": ["您好，我上传身份证的时候一直提示网络错误。", "重试了好几次还是不行，Wi-Fi 和 4G 都试过了。",
           "我的人脸识别一直失败，光线已经很充足了。", "认证提交三天了还在审核中，请问什么时候能有结果？",
           "护照照片上传后系统说有反光看不清。", "我把出生日期填错了，现在无法修改。", "页面一直加载不出来，清除缓存也没有用。",
           "手机型号是华为 P30，系统版本 EMUI 10。", "截图见附件，麻烦尽快处理，谢谢！", "提示账户存在风险，无法继续认证。"],
    "en": ["Hello, my ID upload fails with a network error every time.", "I tried Wi-Fi and mobile data.",
           "The face check says my face does not match the document.",
           "My documents have been under review for a week.",
           "The app says my photo has glare.", "I typed my surname wrong during verification.",
           "The verification page stays blank on my phone.", "My phone is an iPhone 7 on iOS 15.",
           "I attached a screenshot of the error.", "Please help, I need this for a withdrawal."],
}
OCR_TEXTS = {
    "zh": ["上传失败\n网络连接异常，请检查网络后重试\n错误码 1003", "认证失败\n人脸识别未通过，请保持光线充足",
           "证件照片不清晰\n请重新拍摄", "审核中\n预计 1-3 个工作日内完成"],
    "en": ["Upload failed\nNetwork error, please check your connection\nError 1003",
           "Verification failed\nFace not detected, please try again", "Document photo is blurry\nPlease retake",
           "Under review\nUsually takes 1-3 business days"],
}
REPLY = {"zh": "您好，请按提示重新上传清晰的证件照片，谢谢。",
         "en": "Hello, please upload a clear photo of your document again. Thank you."}
NAMES = {"zh": ["王小明", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄晓东"],
         "en": ["Ann Lee", "Tom Baker", "Maria Garcia", "Chen Wei", "Sam Patel", "Lena Novak", "Omar Ali", "Kim Park"]}
DOCUMENT_DEFECTS = [Defect.GLARE, Defect.BLURRY, Defect.TOO_DARK, Defect.LOW_RESOLUTION, Defect.CROPPED,
                    Defect.EXPIRED_DOCUMENT]
SELFIE_DEFECTS = [Defect.NO_FACE, Defect.MULTIPLE_FACES, Defect.BLURRY, Defect.TOO_DARK, Defect.GLARE]
AGENTS = 5  # staff users bench-agent-1..5; about a third of the tickets are assigned to one of them
KINDS = [(AttachmentKind.SCREENSHOT, 45), (AttachmentKind.ID_DOCUMENT, 35), (AttachmentKind.SELFIE, 15),
         (AttachmentKind.OTHER, 5)]


class _Generator:
    """Builds unsaved rows for one batch of tickets; every random choice comes from one seeded RNG."""

    def __init__(self, seed: int, now):
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = now
        self.category_codes = [c for c, _, _ in CATEGORIES]
        self.category_weights = [w for _, w, _ in CATEGORIES]
        self.category_words = {c: word for c, _, word in CATEGORIES}
        self.kinds = [k for k, _ in KINDS]
        self.kind_weights = [w for _, w in KINDS]

    def ticket(self, number: int) -> dict:
        """Everything about one ticket, as plain data (rows are made from it after the tickets have ids)."""
        rng = self.rng
        language = "zh" if rng.random() < 0.55 else "en"
        name = rng.choice(NAMES[language])
        email = "customer%d@example.%s" % (number, rng.choice(("com", "cn", "net")))
        received = self.now - timedelta(seconds=rng.randrange(90 * 86400))
        wanted, codes = (1 if rng.random() < 0.7 else 2), []
        while len(codes) < wanted:
            code = rng.choices(self.category_codes, self.category_weights)[0]
            if code not in codes:
                codes.append(code)
        categories = [(code, round(rng.uniform(0.35, 0.99), 2), self.category_words[code]) for code in codes]
        body = " ".join(rng.sample(SENTENCES[language], k=rng.randint(2, 4)))
        body += " " + " ".join(self.category_words[code] for code in codes)
        body += "\n\n" + ("谢谢！\n" if language == "zh" else "Thanks,\n") + name
        attachments = []
        if rng.random() < 0.6:
            for index in range(rng.choice((1, 1, 2))):
                kind = rng.choices(self.kinds, self.kind_weights)[0]
                defects = []
                if kind in (AttachmentKind.ID_DOCUMENT, AttachmentKind.SELFIE) and rng.random() < 0.45:
                    pool = DOCUMENT_DEFECTS if kind == AttachmentKind.ID_DOCUMENT else SELFIE_DEFECTS
                    defects = rng.sample(pool, k=rng.choice((1, 1, 2)))
                ocr = rng.choice(OCR_TEXTS[language]) if kind == AttachmentKind.SCREENSHOT else ""
                attachments.append({"kind": kind, "ocr": ocr, "defects": defects,
                                    "filename": "%s_%d.%s" % (kind, index + 1, rng.choice(("jpg", "png")))})
        roll = rng.random()
        status = (TicketStatus.TRIAGED if roll < 0.92 else TicketStatus.NEW if roll < 0.96
                  else TicketStatus.PROCESSING if roll < 0.98 else TicketStatus.FAILED)
        roll = rng.random()
        workflow = (Ticket.Workflow.OPEN if roll < 0.6 else Ticket.Workflow.WAITING if roll < 0.75
                    else Ticket.Workflow.CLOSED)
        agent = rng.randrange(AGENTS) if rng.random() < 0.35 else None
        return {"number": number, "language": language, "name": name, "email": email, "received": received,
                "subject": rng.choice(SUBJECTS[language]), "body": body, "categories": categories,
                "attachments": attachments, "status": status, "workflow": workflow, "agent": agent,
                # waiting and closed tickets were answered an hour after they came
                "replied": received + timedelta(hours=1) if workflow != Ticket.Workflow.OPEN else None}

    @staticmethod
    def ticket_row(data: dict, agents: list, due_table: dict) -> Ticket:
        """The ticket, with search_text, top_confidence and due time as ticket_search_text_refresh would set them."""
        applied = [confidence for _, confidence, _ in data["categories"] if confidence >= conf.AUTO_APPLY_CONFIDENCE]
        applied_codes = [code for code, confidence, _ in data["categories"] if confidence >= conf.AUTO_APPLY_CONFIDENCE]
        waiting_since = None if data["replied"] else data["received"]
        parts = [data["subject"], data["email"], data["name"], data["body"]]
        parts += [REPLY[data["language"]]] if data["replied"] else []
        parts += [a["filename"] for a in data["attachments"]]
        parts += [a["ocr"] for a in data["attachments"] if a["ocr"]]
        triaged = data["status"] == TicketStatus.TRIAGED
        closed = data["workflow"] == Ticket.Workflow.CLOSED
        return Ticket(
            subject=data["subject"], customer_email=data["email"], customer_name=data["name"],
            language=data["language"], status=data["status"], workflow=data["workflow"],
            source=Ticket.Source.EMAIL, received_at=data["received"],
            triaged_at=data["received"] + timedelta(minutes=2) if triaged else None,
            closed_at=data["received"] + timedelta(days=1) if closed else None,
            pipeline_attempts=1, search_text="\n".join(p for p in parts if p)[:200_000],
            top_confidence=max(applied) if applied else None,
            assignee=agents[data["agent"]] if data["agent"] is not None else None,
            waiting_since=waiting_since, due_at=due_at(waiting_since, applied_codes, due_table),
        )


class Command(BaseCommand):
    help = "Bulk-create realistic triaged tickets (messages, categories, analysed attachments, defects; no files)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000, help="How many tickets (default 1000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; also part of each Message-ID.")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, count, seed, batch_size, **options):
        if Message.objects.filter(message_id="<gen-%d-0@bench.invalid>" % seed).exists():
            raise CommandError("tickets with --seed %d were already generated; pass another --seed" % seed)
        started = time.monotonic()
        generator = _Generator(seed, timezone.now())
        made = {"tickets": 0, "messages": 0, "categories": 0, "attachments": 0, "defects": 0}
        for first in range(0, count, batch_size):
            data = [generator.ticket(n) for n in range(first, min(first + batch_size, count))]
            with transaction.atomic():
                self._batch(data, seed, made)
            if options.get("verbosity", 1) > 1:
                self.stdout.write("%d tickets" % made["tickets"])
        if connection.vendor == "postgresql":  # fresh statistics, so the planner sees the new rows
            with connection.cursor() as cursor:
                for model in (Ticket, Message, CategoryAssignment, Attachment, AttachmentDefect):
                    cursor.execute("ANALYZE %s" % connection.ops.quote_name(model._meta.db_table))
        made["seconds"] = time.monotonic() - started
        self.stdout.write("made %(tickets)d tickets, %(messages)d messages, %(categories)d categories, "
                          "%(attachments)d attachments, %(defects)d defects in %(seconds).1f s" % made)

    def _batch(self, data: list[dict], seed: int, made: dict) -> None:
        from django.conf import settings
        from django.contrib.auth import get_user_model

        agents = [get_user_model().objects.get_or_create(username="bench-agent-%d" % (i + 1),
                                                         defaults={"is_staff": True})[0] for i in range(AGENTS)]
        due_table = due_hours_table(getattr(settings, "KYCTRIAGE_DUE_HOURS", None))
        tickets = Ticket.objects.bulk_create([_Generator.ticket_row(d, agents, due_table) for d in data])
        messages, firsts, categories, attachments, attachment_defects = [], [], [], [], []
        threshold = conf.AUTO_APPLY_CONFIDENCE
        for ticket, d in zip(tickets, data):
            firsts.append(Message(
                ticket=ticket, direction=Message.Direction.INBOUND, message_id="<gen-%d-%d@bench.invalid>"
                % (seed, d["number"]), from_address=d["email"], from_name=d["name"], to_addresses="kyc@example.com",
                subject=d["subject"], sent_at=d["received"], text_body=d["body"], text_clean=d["body"]))
            messages.append(firsts[-1])
            if d["replied"]:
                messages.append(Message(
                    ticket=ticket, direction=Message.Direction.OUTBOUND, message_id="<gen-%d-%d-r@bench.invalid>"
                    % (seed, d["number"]), from_address="kyc@example.com", to_addresses=d["email"],
                    subject="Re: " + d["subject"], sent_at=d["replied"], text_body=REPLY[d["language"]],
                    text_clean=REPLY[d["language"]]))
            for code, confidence, word in d["categories"]:
                categories.append(CategoryAssignment(ticket=ticket, code=code, confidence=confidence,
                                                     applied=confidence >= threshold,
                                                     evidence=evidence_records([evidence.phrase("body", word)])))
        Message.objects.bulk_create(messages)
        CategoryAssignment.objects.bulk_create(categories)
        for ticket, message, d in zip(tickets, firsts, data):
            for a in d["attachments"]:
                attachments.append(Attachment(
                    ticket=ticket, message=message, filename=a["filename"], kind=a["kind"],
                    declared_content_type="image/jpeg", content_type="image/jpeg", size=150_000,
                    sha256=uuid.uuid4().hex * 2, ocr_text=a["ocr"],
                    ocr_lines=[{"text": line, "confidence": 91} for line in a["ocr"].splitlines()],
                    metrics={"sharpness": 120.5, "brightness": 0.52, "glare_ratio": 0.01},
                    analysis_status=Attachment.AnalysisStatus.DONE, analyser_version="bench",
                    analysed_at=d["received"] + timedelta(minutes=1), analysis_attempts=1))
                attachment_defects.append(a["defects"])
        Attachment.objects.bulk_create(attachments)
        defects = [AttachmentDefect(attachment=attachment, ticket_id=attachment.ticket_id, code=code,
                                    details={"evidence": "generated"})
                   for attachment, codes in zip(attachments, attachment_defects) for code in codes]
        AttachmentDefect.objects.bulk_create(defects)
        made["tickets"] += len(tickets)
        made["messages"] += len(messages)
        made["categories"] += len(categories)
        made["attachments"] += len(attachments)
        made["defects"] += len(defects)
