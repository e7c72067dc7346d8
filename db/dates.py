"""Which dates can be: the bounds that forms, imports and 审核 share.

A date of something that happened (birth, 入党, taking up or leaving a post, founding, a
training) lies between 1900-01-01 and the latest of the newest statistical year's cut-off
date (统计截止日期) and today: a clerk who has not yet opened the new year may still record a
离任 of last month, but nothing can have happened after both. A planned end — the end of a
驻村 term (派驻期满) or of a 学历提升 course (预计毕业) — may lie up to PLANNED_YEARS after that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.models import StatYear

EARLIEST = dt.date(1900, 1, 1)
PLANNED_YEARS = 6


@dataclass(frozen=True)
class DateBound:
    latest: dt.date
    reason: str  # what `latest` is, for messages: 统计截止日期 or 今天

    def problem(self, value: dt.date, planned: bool = False) -> str:
        """'' if `value` can be, else the Chinese reason (to follow the date as typed)."""
        if value < EARLIEST:
            return "早于1900年，请核对年份"
        if planned:
            limit = self.latest.replace(year=self.latest.year + PLANNED_YEARS)
            if value > limit:
                return f"晚于{limit:%Y.%m.%d}，不像是计划日期，请核对"
        elif value > self.latest:
            return f"晚于{self.reason}{self.latest:%Y.%m.%d}，还没有到来，请核对"
        return ""


def date_bound(today: dt.date | None = None) -> DateBound:
    """The latest date a fact may carry: the newest 统计截止日期, or today if later."""
    today = today or dt.date.today()
    newest = StatYear.select().order_by(StatYear.year.desc()).first()
    if newest is not None and newest.cutoff_date >= today:
        return DateBound(newest.cutoff_date, "统计截止日期")
    return DateBound(today, "今天")
