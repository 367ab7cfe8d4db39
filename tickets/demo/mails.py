"""Demo tickets: our own sample emails with generated attachments, built as real RFC 822 messages."""

from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone

DEMO_TICKETS = [
    {"from": ("王小明", "xiaoming.wang@example.cn"), "subject": "KYC认证失败，护照照片被拒",
     "body": "你好，我上传了护照照片，但是系统一直提示证件照片不清晰，请帮忙看看是什么问题。\n谢谢",
     "attachments": [{"type": "id_document", "defects": ["glare"], "doc": "passport", "filename": "护照.jpg"}]},
    {"from": ("Anna Schmidt", "anna.schmidt@example.de"), "subject": "Verification keeps failing at the selfie step",
     "body": "Hi, I tried the face verification five times tonight and it always says it cannot detect my face. "
             "What am I doing wrong?\n\nThanks,\nAnna",
     "attachments": [{"type": "selfie", "defects": ["too_dark"], "filename": "selfie.jpg"}]},
    {"from": ("李娜", "li.na@example.cn"), "subject": "上传证件的时候一直失败",
     "body": "上传到一半就失败了，试了好几次，截图在附件。",
     "attachments": [{"type": "screenshot", "lines": ["上传失败", "网络连接超时，请检查网络后重试"],
                      "theme": "dark", "lang": "zh", "filename": "IMG_2041.png"}]},
    {"from": ("Tom Becker", "tom.becker@example.com"), "subject": "KYC under review for a week",
     "body": "I submitted all my documents last Monday and the status still says under review. "
             "How long does this usually take?",
     "attachments": [{"type": "screenshot", "lines": ["Verification under review",
                                                       "We will notify you once the review is complete"],
                      "theme": "light", "lang": "en", "filename": "status.png"}]},
    {"from": ("陈伟", "chen.wei@example.cn"), "subject": "护照过期了吗？",
     "body": "我的认证被拒了，说证件无效，附件是我的护照。",
     "attachments": [{"type": "id_document", "defects": ["expired_document"], "expiry": "2024-03-01",
                      "doc": "passport", "filename": "passport.jpg"}]},
    {"from": ("Maria Garcia", "maria.garcia@example.es"), "subject": "Verification page is blank",
     "body": "When I open the identity verification page it stays completely white and the Start button "
             "does nothing. I use Chrome on Windows.",
     "attachments": []},
    {"from": ("张强", "zhang.qiang@example.cn"), "subject": "账户被冻结，无法完成认证",
     "body": "昨天收到异地登录提醒，今天认证的时候提示账户存在安全风险，已被暂时限制。请问怎么办？",
     "attachments": [{"type": "screenshot", "lines": ["您的账户存在安全风险", "认证功能已暂时限制"],
                      "theme": "light", "lang": "zh", "filename": "warning.png"}]},
    {"from": ("James O'Neil", "james.oneil@example.ie"), "subject": "Face does not match my ID??",
     "body": "The app says my selfie does not match the photo on my passport. It is definitely me, "
             "the passport photo is just 8 years old.",
     "attachments": [{"type": "screenshot", "lines": ["Face does not match the document photo",
                                                       "Please try again"],
                      "theme": "dark", "lang": "en", "filename": "error.png"}]},
    {"from": ("刘洋", "liu.yang@example.cn"), "subject": "认证又失败了",
     "body": "认证又失败了，不知道为什么。",
     "attachments": [{"type": "id_document", "defects": ["blurry"], "doc": "id_card", "filename": "身份证正面.jpg"}]},
    {"from": ("Priya Sharma", "priya.sharma@example.in"), "subject": "Camera not working during verification",
     "body": "My phone is a bit old (Android 7) and the camera does not open on the verification step. "
             "The app just closes.",
     "attachments": []},
    {"from": ("赵敏", "zhao.min@example.cn"), "subject": "名字填错了怎么改",
     "body": "提交认证的时候把名字的拼音拼错了，出生日期好像也填错了，现在提示信息与证件不一致，能修改吗？",
     "attachments": []},
    {"from": ("Lucas Martin", "lucas.martin@example.fr"), "subject": "ID card photo rejected",
     "body": "My ID card photo was rejected, the error says part of the document is missing.",
     "attachments": [{"type": "id_document", "defects": ["cropped"], "doc": "id_card", "filename": "id_front.jpg"}]},
]


def demo_messages(now=None):
    """Yield (label, raw bytes) for each demo ticket, received over the last days."""
    from demo.images import make_attachment

    now = now or timezone.now()
    for index, spec in enumerate(DEMO_TICKETS):
        msg = EmailMessage()
        name, address = spec["from"]
        msg["From"] = "%s <%s>" % (name, address)
        msg["To"] = "kyc-support@example.com"
        msg["Subject"] = spec["subject"]
        msg["Date"] = format_datetime(now - timedelta(hours=7 * (len(DEMO_TICKETS) - index)))
        msg["Message-ID"] = "<demo-%d@demo.kyctriage.invalid>" % (index + 1)
        msg.set_content(spec["body"])
        for att in spec["attachments"]:
            att = dict(att)
            if "expiry" in att:
                att["expiry"] = date.fromisoformat(att["expiry"])
            filename, payload, content_type = make_attachment(att)
            maintype, subtype = content_type.split("/", 1)
            msg.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
        yield "demo#%d" % (index + 1), msg.as_bytes()
