"""What several rule modules share: record labels and date logic (which posts are held at
the cut-off is a year fact: db.year_facts.held_at)."""

from __future__ import annotations

import datetime as dt

from db import records
from db.models import Appointment, Cadre, Organization, Village
from db.year_data import YearData
from desktop.checks.registry import Hit

__all__ = ["Hit", "overlaps", "village_names", "cadre_hit", "org_hit", "village_hit", "wan_pair"]


def wan_pair(first, second) -> tuple[str, str]:
    """Two amounts in 元 as 万元, as the sheets print them (two decimals); where rounding
    would make them look equal, exact (up to six decimals) so the finding still reads true."""
    from decimal import Decimal

    from db.money import TEN_THOUSAND, wan

    a, b = wan(first), wan(second)
    if a == b and first != second:
        a, b = (Decimal(v or 0) / TEN_THOUSAND for v in (first, second))
    return f"{a:f}", f"{b:f}"


def overlaps(a: Appointment, b: Appointment) -> bool:
    """Whether two terms certainly share a day. A term whose start is unknown is certain
    only of its last day (the day before its end; today onwards if it is still held), so it
    clashes with a term still running then, not with every earlier one."""
    a_end = a.end_date or dt.date.max
    b_end = b.end_date or dt.date.max
    a_start = a.start_date or a_end - dt.timedelta(days=1)
    b_start = b.start_date or b_end - dt.timedelta(days=1)
    return a_start < b_end and b_start < a_end


def village_names(data: YearData) -> dict[int, str]:
    return records.village_names()


def cadre_hit(cadre: Cadre, field: str, message: str, villages: dict[int, str]) -> Hit:
    place = villages.get(cadre.village_id, "")
    label = f"{cadre.name}（{place}）" if place else cadre.name
    return Hit("cadre", cadre.id, label, field, message)


def org_hit(org: Organization, field: str, message: str) -> Hit:
    return Hit("organization", org.id, org.name, field, message)


def village_hit(
    village: Village, field: str, message: str, table: str = "village", record_id: int | None = None
) -> Hit:
    return Hit(table, record_id or village.id, village.name, field, message)
