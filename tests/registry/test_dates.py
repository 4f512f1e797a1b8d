"""Partial dates: one module parses, floors, sorts and labels them for every stage."""

from __future__ import annotations

import datetime as dt

import pytest

from dossiers.registry import dates


@pytest.mark.parametrize("value", ["2023", "2023-05", "2023-05-17", "2024-02-29", "0001"])
def test_valid_partial_dates(value: str):
    assert dates.is_valid(value)


@pytest.mark.parametrize("value", ["0000", "2023-13", "2023-00", "2023-02-29", "2023-5-17", "23", "2023-05-17T00:00", ""])
def test_invalid_partial_dates(value: str):
    assert not dates.is_valid(value)


def test_floor_is_the_first_day_a_date_can_mean():
    assert dates.floor("2023") == dt.date(2023, 1, 1)
    assert dates.floor("2023-05") == dt.date(2023, 5, 1)
    assert dates.floor("2023-05-17") == dt.date(2023, 5, 17)


def test_sort_key_puts_a_year_before_its_dated_days_and_undated_last():
    values = [None, "2023", "2023-05", "2022-12-31", "2023-05-17", "2023-06-01"]
    assert sorted(values, key=dates.sort_key) == ["2022-12-31", "2023", "2023-05", "2023-05-17", "2023-06-01", None]


def test_labels():
    assert dates.label("2023-05-17") == "17 May 2023"
    assert dates.label("2023-05") == "May 2023"
    assert dates.label("2023") == "2023"
    assert dates.label(None) == ""
    assert dates.period_label(None, "1994", None) == "from 1994"
    assert dates.period_label(None, "2004", "2008-03") == "from 2004 to March 2008"
    assert dates.period_label(None, None, "2008") == "until 2008"
    assert dates.period_label(None, None, None, "2022-06-03") == "3 June 2022"
    assert dates.period_label("2023-11-01", "1994", None) == "1 November 2023"
