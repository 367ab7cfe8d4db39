"""Regenerate the sample .eml files (run by hand; tests read the files, not this script).

Written out as bytes so the charset mistakes real clients make are reproduced exactly.
Usage: .venv/bin/python tests/samples/emails/generate.py
"""
from __future__ import annotations

import base64
import io
import quopri
from pathlib import Path

HERE = Path(__file__).resolve().parent


def b64(data: bytes) -> bytes:
    """Base64 wrapped at 76 columns, CRLF-free (LF files like most exports)."""
    text = base64.b64encode(data)
    return b"\n".join(text[i : i + 76] for i in range(0, len(text), 76))


def word(text: str, charset: str) -> bytes:
    """One RFC 2047 B-encoded word."""
    return b"=?" + charset.encode() + b"?B?" + base64.b64encode(text.encode(charset)) + b"?="


def png() -> bytes:
    """A small real PNG screenshot-like image."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (64, 32), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 60, 28), outline=(200, 30, 30))
    draw.text((8, 10), "ERR", fill=(200, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    """A small real JPEG."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def samples() -> dict[str, bytes]:
    """File name -> raw message."""
    out: dict[str, bytes] = {}
    gbk_body = "您好，我叫王镕喆，身份证上的名字是王堃。\n人脸识别一直失败，请帮忙处理。\n".encode("gbk")
    out["gb2312_labelled_gbk.eml"] = (
        b"From: =?gb2312?B?" + base64.b64encode("王先生".encode("gb2312")) + b"?= <Wang.Customer@Example.CN>\n"
        b"To: kyc@exchange.example\n"
        b"Subject: " + word("身份验证失败", "gb2312") + b"\n"
        b"Date: Tue, 24 Nov 2026 09:15:00 +0800\n"
        b"Message-ID: <gbk-001@mail.example.cn>\n"
        b"MIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=gb2312\n"
        b"Content-Transfer-Encoding: base64\n\n" + b64(gbk_body) + b"\n"
    )
    out["big5.eml"] = (
        b"From: Chan Tai Man <taiman@example.hk>\n"
        b"To: kyc@exchange.example\n"
        b"Subject: " + word("護照上傳失敗", "big5") + b"\n"
        b"Date: Wed, 25 Nov 2026 10:00:00 +0800\n"
        b"Message-ID: <big5-001@example.hk>\n"
        b"MIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=big5\n"
        b"Content-Transfer-Encoding: 8bit\n\n" + "我的護照照片上傳失敗，系統說照片模糊。\n唔該幫手㗎。\n".encode("big5hkscs")
    )
    out["utf8_base64.eml"] = (
        b"From: \"Alice Smith\" <alice@example.com>\n"
        b"To: KYC Desk <kyc@exchange.example>, support@exchange.example\n"
        b"Subject: =?utf-8?B?" + base64.b64encode("Verification stuck / 认证卡住了".encode()) + b"?=\n"
        b"Date: Thu, 26 Nov 2026 08:00:00 +0000\n"
        b"Message-ID: <utf8-001@example.com>\n"
        b"MIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: base64\n\n"
        + b64("Hello, my verification has been pending for 5 days.\n我的认证已经等了五天。\n".encode())
        + b"\n"
    )
    out["rfc2231_filename.eml"] = (
        b"From: li@example.cn\nTo: kyc@exchange.example\nSubject: documents\n"
        b"Date: Thu, 26 Nov 2026 08:00:00 +0800\nMessage-ID: <rfc2231-001@example.cn>\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
        b"--b1\nContent-Type: text/plain; charset=utf-8\n\nPlease see the attached ID.\n"
        b"--b1\nContent-Type: image/jpeg\nContent-Transfer-Encoding: base64\n"
        b"Content-Disposition: attachment;\n filename*0*=gb2312''%C9%ED%B7%DD;\n filename*1*=%D6%A4%D5%FD%C3%E6.jpg\n\n"
        + b64(jpeg())
        + b"\n--b1\nContent-Type: application/pdf; name=\"=?utf-8?B?" + base64.b64encode("银行流水.pdf".encode()) + b"?=\"\n"
        b"Content-Transfer-Encoding: base64\nContent-Disposition: attachment\n\n" + b64(b"%PDF-1.4\n%fake\n")
        + b"\n--b1\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n"
        b"Content-Disposition: attachment; filename=\"../../etc/passwd\"\n\n" + b64(b"root:x:0:0\n") + b"\n--b1--\n"
    )
    out["html_only_script.eml"] = (
        b"From: phisher@example.net\nTo: kyc@exchange.example\nSubject: Account notice\n"
        b"Date: Thu, 26 Nov 2026 08:00:00 +0000\nMessage-ID: <html-001@example.net>\nMIME-Version: 1.0\n"
        b"Content-Type: text/html; charset=utf-8\n\n"
        b"<html><head><style>body{color:red}</style><script>steal()</script></head><body>\n"
        b"<p>Hello <b>team</b>,</p><p>My selfie was rejected.</p>\n"
        b"<img src=\"x\" onerror=\"alert(1)\"><a href=\"javascript:alert(2)\">click</a>\n"
        b"<a href=\"https://example.net/help\">help</a><iframe src=\"https://evil.example\"></iframe>\n"
        b"</body></html>\n"
    )
    image = png()
    out["inline_cid_screenshot.eml"] = (
        b"From: Bob <bob@example.com>\nTo: kyc@exchange.example\nSubject: Error screenshot\n"
        b"Date: Thu, 26 Nov 2026 08:00:00 +0000\nMessage-ID: <cid-001@example.com>\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/related; boundary=\"rel\"\n\n"
        b"--rel\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n"
        b"--alt\nContent-Type: text/plain; charset=utf-8\n\nThe app shows this error:\n[image: screenshot]\n"
        b"--alt\nContent-Type: text/html; charset=utf-8\n\n<p>The app shows this error:</p><img src=\"cid:shot1@example.com\" alt=\"screenshot\">\n"
        b"--alt--\n"
        b"--rel\nContent-Type: image/png\nContent-Transfer-Encoding: base64\nContent-ID: <shot1@example.com>\n"
        b"Content-Disposition: inline\n\n" + b64(image) + b"\n--rel--\n"
    )
    inner = (
        b"From: KYC Team <kyc@exchange.example>\nTo: carol@example.com\nSubject: Your verification was rejected\n"
        b"Date: Mon, 23 Nov 2026 08:00:00 +0000\nMessage-ID: <inner-001@exchange.example>\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"in\"\n\n"
        b"--in\nContent-Type: text/plain; charset=utf-8\n\nYour passport photo has glare.\n"
        b"--in\nContent-Type: image/jpeg\nContent-Transfer-Encoding: base64\n"
        b"Content-Disposition: attachment; filename=\"passport.jpg\"\n\n" + b64(jpeg()) + b"\n--in--\n"
    )
    out["forwarded_rfc822.eml"] = (
        b"From: Carol <carol@example.com>\nTo: kyc@exchange.example\nSubject: Fwd: Your verification was rejected\n"
        b"Date: Thu, 26 Nov 2026 08:00:00 +0000\nMessage-ID: <fwd-001@example.com>\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"out\"\n\n"
        b"--out\nContent-Type: text/plain; charset=utf-8\n\nWhy was this rejected? The photo looks fine to me.\n"
        b"--out\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=\"rejected.eml\"\n\n"
        + inner
        + b"\n--out--\n"
    )
    reply = (
        "已经重新上传了护照，请再审核一下。\n\n发自我的iPhone\n\n"
        "在 2026年11月25日，10:00，KYC Team <kyc@exchange.example> 写道：\n\n"
        "> 您好，您的护照照片反光，请重新上传。\n> KYC Team\n"
    )
    out["reply_quoted_iphone.eml"] = (
        b"From: =?utf-8?B?" + base64.b64encode("张三".encode()) + b"?= <zhangsan@example.cn>\n"
        b"To: kyc@exchange.example\n"
        b"Subject: =?utf-8?B?" + base64.b64encode("回复: 护照审核".encode()) + b"?=\n"
        b"Date: Wed, 25 Nov 2026 11:00:00 +0800\n"
        b"Message-ID: <reply-001@example.cn>\n"
        b"In-Reply-To: <kyc-out-17@exchange.example>\n"
        b"References: <first-001@example.cn>\n <kyc-out-17@exchange.example>\n"
        b"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        + quopri.encodestring(reply.encode())
    )
    out["auto_reply.eml"] = (
        b"From: dave@example.org\nTo: kyc@exchange.example\nSubject: =?utf-8?B?"
        + base64.b64encode("自动回复: 护照审核".encode())
        + b"?=\nDate: Thu, 26 Nov 2026 08:00:00 +0000\nMessage-ID: <auto-001@example.org>\n"
        b"Auto-Submitted: auto-replied\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
        + "我正在休假，12月1日回来。\nI am out of office until 1 December.\n".encode()
    )
    out["bounce_mailer_daemon.eml"] = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.exchange.example>\nTo: kyc@exchange.example\n"
        b"Subject: Undelivered Mail Returned to Sender\nDate: Thu, 26 Nov 2026 08:00:00 +0000\n"
        b"Message-ID: <bounce-001@mx.exchange.example>\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"rep\"\n\n"
        b"--rep\nContent-Type: text/plain; charset=us-ascii\n\n"
        b"This is the mail system at host mx.exchange.example.\nI'm sorry to have to inform you that your message could not be delivered.\n"
        b"--rep\nContent-Type: message/delivery-status\n\n"
        b"Reporting-MTA: dns; mx.exchange.example\n\nFinal-Recipient: rfc822; nobody@example.invalid\nAction: failed\nStatus: 5.1.1\n"
        b"--rep\nContent-Type: text/rfc822-headers\n\n"
        b"From: kyc@exchange.example\nTo: nobody@example.invalid\nSubject: [KYC-000007] Your documents\n"
        b"--rep--\n"
    )
    out["missing_message_id.eml"] = (
        b"From: eve@example.com\nTo: kyc@exchange.example\nSubject: no id here\n"
        b"Date: 26 Nov 2026 08:00:00\n\nPlease verify my account.\n"
    )
    out["broken_mime.eml"] = (
        b"From: frank@example.com\nTo: kyc@exchange.example\nSubject: broken\nMessage-ID: <broken-001@example.com>\n"
        b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"zz\"\n\n"
        b"--zz\nContent-Type: text/plain; charset=utf-8\n\nMy selfie upload fails every time.\n"
        b"--zz\nContent-Type: image/jpeg; name=\"selfie.jpg\"\nContent-Transfer-Encoding: base64\n\n"
        + b64(jpeg())
        + b"\n"
    )
    out["kyc_reference_reply.eml"] = (
        b"From: Grace <grace@example.com>\nTo: kyc@exchange.example\nSubject: RE: [kyc-000042] Proof of address\n"
        b"Date: Thu, 26 Nov 2026 08:00:00 -0500\nMessage-ID: <ref-001@example.com>\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/alternative; boundary=\"a\"\n\n"
        b"--a\nContent-Type: text/plain; charset=utf-8\n\n"
        b"I attached my utility bill yesterday.\n\n-- \nGrace Hopper\n+1 555 0100\n\n"
        b"From: KYC Team <kyc@exchange.example>\nSent: Wednesday, November 25, 2026 9:00 AM\nTo: Grace\n"
        b"Subject: [KYC-000042] Proof of address\n\nPlease send a utility bill.\n"
        b"--a\nContent-Type: text/html; charset=utf-8\n\n<div>I attached my utility bill yesterday.</div>\n"
        b"--a--\n"
    )
    out["outlook_zh_reply.eml"] = (
        b"From: liu@example.cn\nTo: kyc@exchange.example\nSubject: =?gbk?B?" + base64.b64encode("答复: 地址证明".encode("gbk")) + b"?=\n"
        b"Date: Thu, 26 Nov 2026 08:00:00 +0800\nMessage-ID: <outlook-zh-001@example.cn>\nMIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=\"gbk\"\nContent-Transfer-Encoding: base64\n\n"
        + b64(
            "水电费账单在附件里。\n\n发自我的华为手机\n\n"
            "发件人: KYC Team <kyc@exchange.example>\n发送时间: 2026年11月25日 9:00\n收件人: liu@example.cn\n"
            "主题: 地址证明\n\n请提供地址证明。\n".encode("gbk")
        )
        + b"\n"
    )
    tnef = b"\x78\x9f\x3e\x22\x01\x00\x01\x06\x90\x08\x00" + b"\x00" * 32
    out["winmail_tnef.eml"] = (
        b"From: henry@example.com\nTo: kyc@exchange.example\nSubject: my documents\n"
        b"Date: Thu, 26 Nov 2026 08:00:00 +0000\nMessage-ID: <tnef-001@example.com>\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"t\"\n\n"
        b"--t\nContent-Type: text/plain; charset=us-ascii\n\nDocuments attached.\n"
        b"--t\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\nContent-Transfer-Encoding: base64\n"
        b"Content-Disposition: attachment; filename=\"winmail.dat\"\n\n" + b64(tnef) + b"\n--t--\n"
    )
    out["raw_8bit_headers.eml"] = (
        "From: 李四 <lisi@example.cn>\nTo: kyc@exchange.example\nSubject: 账户被冻结\x07了\n"
        "Date: Thu, 26 Nov 2026 08:00:00 +0800\nMessage-ID: <raw8-001@example.cn>\n\n".encode("gbk")
        + "为什么我的账户被冻结？\n".encode("gbk")
    )
    return out


def main() -> None:
    """Write every sample next to this script."""
    for name, raw in samples().items():
        (HERE / name).write_bytes(raw)
        print("wrote", name, len(raw))


if __name__ == "__main__":
    main()
