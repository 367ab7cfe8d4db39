"""Language detection decides which reply language the customer gets."""

import pytest

from tickets.triage.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "en"),
        ("   ", "en"),
        ("My passport upload keeps failing", "en"),
        ("护照上传一直失败", "zh"),
        ("護照上傳一直失敗", "zh"),
        ("KYC 认证又失败了，error code 1002", "zh"),
        ("I got the message 上传超时 when uploading my passport photo yesterday evening", "en"),
        ("12345 !!!", "en"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected
