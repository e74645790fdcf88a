"""Working days on China's official calendar (holidays and make-up working days), from the
chinese-calendar package; years it does not know yet count Monday to Friday."""

from __future__ import annotations

import datetime
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=4096)  # the package validates every call slowly; a queue page asks about thousands of days
def is_working_day(day: datetime.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # the State Council announces each year's calendar in November
        return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (LN 11: a decision within 7–10 working days)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not later): an item
    submitted on Friday and looked at on Monday is one working day old."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
