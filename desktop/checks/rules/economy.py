"""Rules on the village collective economy."""

from db.models import CollectiveEconomy
from desktop.checks.registry import ERROR, WARNING, rule
from desktop.checks.rules.common import village_hit, wan_pair
from desktop.validators import credit_code_problem

MONEY_LABELS = CollectiveEconomy.LABELS


def _economy_hit(village, row, field, message):
    return village_hit(village, field, message, "collective_economy", row.id)


@rule("E01", ERROR, "集体经济", "缺少本年度集体经济数据")
def complete(data):
    for village in data.villages:
        if village.id not in data.economy:
            yield village_hit(village, "", f"没有{data.year}年度的村级集体经济收支数据")


@rule("E02", ERROR, "集体经济", "金额为负数")
def not_negative(data):
    for village in data.villages:
        row = data.economy.get(village.id)
        if row is None:
            continue
        for field, label in MONEY_LABELS.items():
            if getattr(row, field) < 0:
                yield _economy_hit(village, row, field, f"{label}不能为负数")


@rule("E03", ERROR, "集体经济", "统一社会信用代码无效")
def credit_code_valid(data):
    for village in data.villages:
        problem = village.credit_code and credit_code_problem(village.credit_code)
        if problem:
            yield village_hit(village, "credit_code", f"“{village.credit_code}”：{problem}")


@rule("E04", WARNING, "集体经济", "集体经济组织未填统一社会信用代码")
def credit_code_present(data):
    for village in data.villages:
        if not village.credit_code.strip():
            yield village_hit(
                village, "credit_code", "村集体经济组织已登记赋码的，请填写统一社会信用代码"
            )


@rule("E05", WARNING, "集体经济", "负债超过资产")
def solvent(data):
    for village in data.villages:
        row = data.economy.get(village.id)
        if row is not None and row.liabilities > row.assets:
            liabilities, assets = wan_pair(row.liabilities, row.assets)
            yield _economy_hit(
                village,
                row,
                "liabilities",
                f"负债总额{liabilities}万元超过资产总额{assets}万元，请核实",
            )
