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


@pytest.mark.parametrize("lines,expiry", [
    (["签发机关", "2017.10.22-2027.10.21", "有效期限"], "2027-10-21"),  # a range whose digits also read as D.M-Y
    (["Gultig bis/Date of ex", "28072022"], "2022-07-28"),  # an engine that dropped the spaces of "28 07 2022"
    (["EXP10/30/2023"], "2023-10-30"),
    (["CALIFORNIA USA", "EXP", "10/04/2023", "DOB 05/09/2001"], "2023-10-04"),  # a US document: month first
    (["4a.", "08.02.2019", "4b.", "07.02.2029"], "2029-02-07"),  # the EU driving licence's expiry field
    (["Date of birth", "03.05.1972", "10.11.2025", "09.11.2035"], "2035-11-09"),  # no label: a 10-year period
])
def test_expiry_forms_that_engines_and_layouts_produce(lines, expiry):
    assert find_printed_expiry(lines)["expiry"] == expiry


def test_a_label_finds_its_value_by_position_when_the_engine_listed_it_first():
    lines = ["13 MAY 2033", "Date of birth", "03 MAY 1980", "Date of expiry"]
    boxes = [(300, 200, 150, 30), (300, 60, 150, 25), (300, 90, 150, 30), (300, 165, 150, 25)]
    assert find_printed_expiry(lines, boxes)["expiry"] == "2033-05-13"
    assert find_printed_expiry(lines) is None  # in reading order alone the value is not after its label


def test_a_label_next_to_the_issue_date_still_yields_the_end_of_the_period():
    lines = ["DELIVRE LE / ISSUED", "VALID UNTIL", "21.11.2025", "20.11.2035"]
    assert find_printed_expiry(lines)["expiry"] == "2035-11-20"


def test_a_birth_date_and_an_issue_date_are_not_a_validity_period():
    assert find_printed_expiry(["Date of birth 03.05.1972", "Issued 10.11.2025"]) is None


def test_the_mrz_birth_and_expiry_run_gives_the_expiry_when_the_zone_does_not_parse():
    from datetime import date

    from tickets.analysis.mrz import find_expiry_run

    # line 2 of a TD3 read without its fillers, a TD1 line 2 with O for 0 in the country code
    assert find_expiry_run(["K896126851FRA9702064M2501143<<"])["expiry"] == "2025-01-14"
    assert find_expiry_run(["HS34238984R0U7312139F2902108"], date(2026, 1, 1))["expiry"] == "2029-02-10"
    assert find_expiry_run(["K896126851FRA9702065M2501143<<"]) is None  # the birth check digit fails
    assert find_expiry_run(["INVOICE 97020641250114 3"]) is None
