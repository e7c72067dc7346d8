"""Money as the report shows it: 万元 with two decimals.

Every printed amount is built from the stored atoms (each income item, each fund source)
rounded once to 0.01 万元; totals are sums of those rounded atoms. So every 合计 equals the sum
of its printed rows and every row total the sum of its printed parts.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10000)
HUNDREDTH = Decimal("0.01")
ZERO = Decimal("0.00")


def wan(yuan: Decimal | int | None) -> Decimal:
    """An exact amount in 元 as 万元, rounded half up to two decimals."""
    if not yuan:
        return ZERO
    return (Decimal(yuan) / TEN_THOUSAND).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def wan_sum(record, fields: Iterable[str]) -> Decimal:
    """The printed total of `fields` of one record, in 万元."""
    return sum((wan(getattr(record, f)) for f in fields), ZERO)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal:
    """`part` as a percentage of `whole`, two decimals; 0.00 when there is no whole."""
    if not whole:
        return ZERO
    return (Decimal(part) * 100 / Decimal(whole)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
