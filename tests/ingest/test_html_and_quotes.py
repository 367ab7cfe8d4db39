"""HTML is made safe and readable; quoted history and signatures are cut in Chinese and English."""
from __future__ import annotations

import pytest

from tickets.ingest.html import html_to_text, sanitize_html
from tickets.ingest.quotes import strip_quoted


def test_sanitize_removes_scripts_handlers_and_javascript_urls() -> None:
    """Scripts, styles, iframes, on* handlers and javascript: links do not survive."""
    dirty = (
        '<style>p{}</style><script>alert(1)</script><p onclick="x()">Hi <b>there</b></p>'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">bad</a>'
        '<iframe src="https://evil.example"></iframe><a href="https://ok.example">ok</a>'
    )
    clean = sanitize_html(dirty)
    for bad in ("<script", "alert", "onclick", "onerror", "javascript:", "<iframe", "<style"):
        assert bad not in clean
    assert "<b>there</b>" in clean
    assert 'href="https://ok.example"' in clean and 'rel="noopener noreferrer"' in clean


def test_sanitize_keeps_only_embedded_images() -> None:
    """cid: and data:image sources stay; remote (tracking) images lose their src."""
    clean = sanitize_html(
        '<img src="cid:a@b"><img src="data:image/png;base64,AAAA"><img src="https://track.example/p.gif">'
        '<img src="data:text/html;base64,PHNjcmlwdD4=">'
    )
    assert 'src="cid:a@b"' in clean and 'src="data:image/png;base64,AAAA"' in clean
    assert "track.example" not in clean and "data:text/html" not in clean


def test_sanitize_keeps_tables() -> None:
    """Tables survive for bank statements pasted as HTML."""
    assert "<td>1</td>" in sanitize_html("<table><tr><td>1</td></tr></table>")


def test_html_to_text_breaks_blocks_into_lines() -> None:
    """Block elements and <br> become line breaks; scripts and entities are handled."""
    text = html_to_text("<div>One</div><p>Two<br>Three &amp; four</p><script>x()</script><ul><li>a</li><li>b</li></ul>")
    assert text.splitlines() == ["One", "", "Two", "Three & four", "", "- a", "- b"]


@pytest.mark.parametrize(
    ("text", "kept", "cut"),
    [
        ("Thanks!\n\nOn Mon, Nov 23, 2026 at 9:00 AM KYC <kyc@x.example> wrote:\n> upload again", "Thanks!", "upload"),
        ("Thanks!\n\nOn Mon, Nov 23, 2026 at 9:00 AM KYC <kyc@x.example>\nwrote:\n> upload again", "Thanks!", "upload"),
        ("Done.\n\n-----Original Message-----\nFrom: KYC\nplease upload", "Done.", "please upload"),
        ("Done.\n\nFrom: KYC <kyc@x.example>\nSent: Monday\nTo: me\nSubject: x\n\nold text", "Done.", "old text"),
        ("Hi\n-- \nJohn Smith\nCEO", "Hi", "CEO"),
        ("Uploaded.\n\nSent from my iPhone", "Uploaded.", "iPhone"),
        ("Keep\n> quoted line\nAlso keep", "Keep\nAlso keep", "quoted line"),
    ],
)
def test_strip_quoted_english(text: str, kept: str, cut: str) -> None:
    """English reply headers, Outlook blocks, signatures and '>' lines are cut."""
    result = strip_quoted(text)
    assert result == kept
    assert cut not in result


@pytest.mark.parametrize(
    ("text", "kept", "cut"),
    [
        ("好的，已上传。\n\n发自我的iPhone\n\n> 请重新上传", "好的，已上传。", "iPhone"),
        ("已上传\n发自我的华为手机", "已上传", "华为"),
        ("好的\n在 2026年11月25日 星期三 10:00，KYC <kyc@x.example> 写道：\n> 请上传", "好的", "请上传"),
        ("收到\n------------------ 原始邮件 ------------------\n发件人: KYC\n请上传", "收到", "请上传"),
        ("收到\n\n发件人: KYC <kyc@x.example>\n发送时间: 2026年11月25日\n收件人: 我\n主题: 审核\n\n请上传", "收到", "请上传"),
        ("已處理\n\n寄件者: KYC\n日期: 2026年11月25日\n收件者: 我\n主旨: 審核\n\n請上傳", "已處理", "請上傳"),
    ],
)
def test_strip_quoted_chinese(text: str, kept: str, cut: str) -> None:
    """Chinese reply headers (写道, 原始邮件, 发件人 blocks) and phone signatures are cut."""
    result = strip_quoted(text)
    assert result == kept
    assert cut not in result


def test_strip_quoted_never_returns_nothing_for_a_pure_quote() -> None:
    """A message that is only a forwarded block keeps its text rather than becoming empty."""
    assert strip_quoted("-----Original Message-----\nFrom: x\nhello") != ""
