"""The collective-economy grid: villages × income items in 万元, totals and band live."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from db import records
from db.errors import UserError
from db.models import CollectiveEconomy
from db.money import wan, wan_sum
from db.statistics import income_band
from db.year_data import YearData

EDITABLE = tuple(CollectiveEconomy.LABELS.items())  # in the order of 表5
COLUMNS = (
    ("village", "村(社区)"),
    *EDITABLE[:5],
    ("total", "总收入"),
    ("operating", "经营性收入"),
    *EDITABLE[5:],
    ("band", "收入分档"),
)
LABELS = dict(EDITABLE)
MAX_WAN = Decimal(100_000_000)  # 1万亿元: no village's account comes near


def grid_rows(data: YearData) -> list[dict]:
    """One row per village of the year; a village without figures yet shows blanks."""
    rows = []
    for village in data.villages:
        row = data.economy.get(village.id)
        values = {"id": village.id, "village": village.name, "missing": row is None}
        for field, _ in EDITABLE:
            values[field] = wan(getattr(row, field)) if row else None
        if row is not None:
            values["total"] = wan_sum(row, CollectiveEconomy.INCOME_FIELDS)
            values["operating"] = wan_sum(row, CollectiveEconomy.OPERATING_FIELDS)
            values["band"] = income_band(values["operating"])
        rows.append(values)
    return rows


def parse_wan(text: str, what: str) -> Decimal:
    """An amount typed in 万元 (up to six decimals: exact to the fen) as exact yuan; `what`
    names it in a refusal (甲村的经营收入)."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(cleaned) if cleaned else Decimal(0)
    except InvalidOperation:
        raise UserError(f"{what}：“{text}”不是数字（单位：万元）") from None
    if not amount.is_finite():
        raise UserError(f"{what}：“{text}”不是数字（单位：万元）")
    if amount >= MAX_WAN:
        raise UserError(f"{what}：{text} 万元大得不合常理，请检查单位（本表单位：万元）")
    if amount < 0:
        raise UserError(f"{what}不能为负数")
    yuan = amount * 10000
    if yuan != yuan.quantize(Decimal("0.01")):
        raise UserError(f"{what}：万元最多填到小数点后六位（即到分）")
    return yuan.quantize(Decimal("0.01"))


def set_amount(village_id: int, village: str, year: int, field: str, text: str) -> None:
    """Store one typed amount; a bad one is refused with a message and changes nothing."""
    if field not in LABELS:
        raise UserError(f"{field} 不能直接修改")
    amount = parse_wan(text, f"{village}的{LABELS[field]}")
    with records.transaction():
        records.set_economy_field(village_id, year, field, amount)


AMOUNT_COLUMNS = tuple(key for key, _ in COLUMNS if key not in ("village", "band"))


def total_row(rows: list[dict]) -> dict:
    """The 合计 row as 表5 prints it: each column the sum of the amounts shown above it."""
    total: dict = {"id": None, "village": "合计", "missing": False, "band": ""}
    for key in AMOUNT_COLUMNS:
        total[key] = sum((r[key] for r in rows if r.get(key) is not None), Decimal("0.00"))
    return total
