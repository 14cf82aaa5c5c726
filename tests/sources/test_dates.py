"""Date lines as pages print them: prefixes, weekdays, times, zones, numeric dates, titles."""

from __future__ import annotations

import pytest

from generator.sources.dates import DateLine, parse_date, read_date_line, read_time_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("For Immediate Release   September 15, 2000", DateLine("2000-09-15")),
        ("updated 4/11/2005 7:15:48 AM ET",
         DateLine("2005-04-11", "2005-04-11T07:15:48-04:00", ambiguous="2005-11-04")),
        ("Updated: 2006-03-04 17:07", DateLine("2006-03-04", "2006-03-04T17:07")),
        ("November 21, 2006 15:53 IST", DateLine("2006-11-21", "2006-11-21T15:53+05:30")),
        ("Published : Jul 29, 2005 00:00 IST", DateLine("2005-07-29", "2005-07-29T00:00+05:30")),
        ("Foreign Ministry spokesman on the APEC meeting - 2001-11-11",
         DateLine("2001-11-11", title="Foreign Ministry spokesman on the APEC meeting")),
        ("Thursday, December 28, 2023", DateLine("2023-12-28")),
        ("jueves, 28 de diciembre de 2023", DateLine("2023-12-28")),
        ("December 28, 2023 6:21 P.M. EST", DateLine("2023-12-28", "2023-12-28T18:21-05:00")),
        ("Dec. 28, 2023 at 10:00 a.m. ET", DateLine("2023-12-28", "2023-12-28T10:00-05:00")),
        ("13/11/2005", DateLine("2005-11-13")),  # 13 cannot be a month: not ambiguous
        ("11/11/2005", DateLine("2005-11-11")),
        ("Dec 28, 2023 10:00 XYZ", DateLine("2023-12-28", "2023-12-28T10:00", unknown_zone="XYZ")),
    ],
)  # fmt: skip
def test_date_lines_as_pages_print_them(line: str, expected: DateLine) -> None:
    assert read_date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    ["yesterday", "Updated 2 hours ago", "31 June 2023", "Mexico City, Mexico December 27, 2023",
     "4/11/2005 25:00", "28.12.2023", "The talks ended on 28 December 2023 without a deal"],
)  # fmt: skip
def test_what_is_not_a_date_line(line: str) -> None:
    assert read_date_line(line) is None


def test_date_order_reads_numeric_dates_without_ambiguity() -> None:
    assert read_date_line("4/11/2005", "dmy") == DateLine("2005-11-04")
    assert read_date_line("4/11/2005", "mdy") == DateLine("2005-04-11")
    assert read_date_line("13/11/2005", "mdy") == DateLine("2005-11-13")


def test_parse_date_keeps_to_a_date_alone() -> None:
    assert parse_date("28 December 2023") == "2023-12-28"
    assert parse_date("A title - 2001-11-11") is None


def test_a_time_line_under_the_date() -> None:
    assert read_time_line("6:21 P.M. EST", "2023-12-28") == ("2023-12-28T18:21-05:00", None)
    assert read_time_line("12:05 a.m.", "2023-07-04") == ("2023-07-04T00:05", None)
    assert read_time_line("Good evening", "2023-07-04") is None
