"""Printed expiry dates in the forms documents use, compared with the date the mail reached us."""

from __future__ import annotations

import pytest

from tickets.analysis.expiry import find_printed_expiry


@pytest.mark.parametrize("lines,expiry", [
    (["Date of expiry 16 OCT /10月 2026"], "2026-10-16"),
    (["2023-08-28 至 2028-08-28"], "2028-08-28"),
    (["有效期限 2020.01.01-2030.01.01"], "2030-01-01"),
    (["Date of expiry", "29.07.2016"], "2016-07-29"),
    (["DATE OF ISSUE DATE OF EXPIRY", "29.07.2006 29.07.2016"], "2016-07-29"),
    (["Valid until/ Valide jusqu'au", "15 APR/AVR 12"], "2012-04-15"),
    (["有效期至 2026年10月16日"], "2026-10-16"),
    (["Valabilitate/Validite/Validity", "17.10.03-09.05.2013"], "2013-05-09"),
    (["IV Expires On", "23DEC2004"], "2004-12-23"),
])
def test_printed_expiry_forms(lines, expiry):
    assert find_printed_expiry(lines)["expiry"] == expiry


@pytest.mark.parametrize("lines", [["有效期限 2020.01.01-长期"], ["有效期限", "2015.06.01-长期"], ["Hello 12.03.2020"]])
def test_long_term_or_no_expiry(lines):
    assert find_printed_expiry(lines) is None


@pytest.mark.parametrize("lines,expiry", [
    (["Date of expiry", "09 8月/AUG 2033"], "2033-08-09"),
    (["Expiry", "21 08 2025"], "2025-08-21"),
    (["EXP 01/24/2022"], "2022-01-24"),
])
def test_more_printed_forms(lines, expiry):
    assert find_printed_expiry(lines)["expiry"] == expiry
