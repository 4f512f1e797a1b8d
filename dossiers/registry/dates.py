"""Partial ISO dates (2023, 2023-05, 2023-05-17): parsed, floored, sorted and labelled here only."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re

from ..errors import UserError

PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def parts(value: str) -> tuple[int, ...]:
    """(year,), (year, month) or (year, month, day) of a valid partial date."""
    return tuple(int(part) for part in value.split("-"))


def is_valid(value: str) -> bool:
    """Whether `value` is YYYY, YYYY-MM or YYYY-MM-DD with a real year, month and day."""
    match = PATTERN.fullmatch(value)
    if not match:
        return False
    year, month, day = (int(part) if part else None for part in match.groups())
    if year is None or year < 1 or (month is not None and not 1 <= month <= 12):
        return False
    return day is None or (month is not None and 1 <= day <= calendar.monthrange(year, month)[1])


def floor(value: str) -> dt.date:
    """The first day a partial date can mean."""
    return dt.date(*(parts(value) + (1, 1))[:3])


def sort_key(value: str | None) -> tuple[int, int, int, int]:
    """Undated last; a year alone before that year's dated months and days, as a month alone before its days."""
    if not value:
        return (1, 0, 0, 0)
    found = parts(value)
    return (0, found[0], found[1] if len(found) > 1 else 0, found[2] if len(found) > 2 else 0)


def label(value: str | None) -> str:
    """'2023-05-17' → '17 May 2023'; '2023-05' → 'May 2023'; '2023' → '2023'; none → ''."""
    if not value:
        return ""
    found = parts(value)
    if len(found) == 3:
        return f"{found[2]} {MONTHS[found[1] - 1]} {found[0]}"
    if len(found) == 2:
        return f"{MONTHS[found[1] - 1]} {found[0]}"
    return str(found[0])


def period_label(date: str | None, start: str | None, end: str | None, listing: str | None = None) -> str:
    """'17 May 2023', 'from 1994', 'from 2004 to 2008', 'until 2008', or ''."""
    if date:
        return label(date)
    if start:
        return f"from {label(start)}" + (f" to {label(end)}" if end else "")
    if end:
        return f"until {label(end)}"
    return label(listing)


MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z: the last second a date of four digits can name


def epoch_date() -> str | None:
    """The UTC date of SOURCE_DATE_EPOCH, or None when it is unset or empty.

    The variable is the environment's, so as untrusted as the files: a value that is not a
    count of seconds (ASCII digits only, as the reproducible-builds specification has it)
    or that names no date of four digits is a UserError saying so, never a traceback.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not (epoch.isascii() and epoch.isdigit()) or int(epoch) > MAX_EPOCH:
        raise UserError(
            f"SOURCE_DATE_EPOCH is '{epoch[:40]}', not a number of seconds since 1970-01-01 UTC between 0 and "
            f"{MAX_EPOCH} "
            "(9999-12-31): set it to such a number, or unset it"
        )
    return (dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=int(epoch))).date().isoformat()
