"""Collective-economy tables typed elsewhere (表5-like): one village a row, in 元 or 万元."""

from __future__ import annotations

from decimal import Decimal

from db import records
from db.connection import township
from db.models import CollectiveEconomy
from desktop.imports.headers import Header, data_rows, read_cells
from desktop.imports.plan import ADD, REFUSE, UNCHANGED, UPDATE, ImportPlan, RowOutcome
from desktop.imports.values import clean_text, is_blank, parse_money
from desktop.imports.villages import VillageNames, refuse_other_township, resolve_village

MONEY = {
    "operating_income": ("经营收入",),
    "contract_income": ("发包及上交收入", "发包收入", "发包及上交", "发包上交收入"),
    "investment_income": ("投资收益",),
    "subsidy_income": ("补助收入",),
    "other_income": ("其他收入",),
    "expenses": ("总支出", "支出合计", "支出"),
    "assets": ("资产总额", "资产"),
    "liabilities": ("负债总额", "负债"),
}
ALIASES = {
    "village": ("村(社区)", "村名", "村(社区)名称", "单位名称", "村委会", "村"),
    "total_income": ("总收入", "收入合计", "总收入合计"),
    **MONEY,
    "notes": ("备注",),
}
REQUIRED = ("village", "operating_income")
LABELS = {
    **CollectiveEconomy.LABELS,
    "total_income": "总收入",
    "village": "村(社区)",
    "notes": "备注",
}


def plan_economy(plan: ImportPlan, sheet: str, rows: list[list], header: Header, year: int) -> None:
    villages = records.villages_by_name()
    ours = township()
    known = VillageNames(villages.values(), ours.name)
    rows_with_village = outside = 0
    existing_rows = records.economy_rows(year)
    plan.header = header.labels
    unit = header.sheet_unit
    if unit is None and not header.units:
        unit = Decimal(10000)
        plan.notices.append(f"{sheet}：表中未注明计量单位，金额按“万元”导入")
    seen: dict[str, int] = {}
    for number, row in data_rows(rows, header, "village", plan, sheet):
        cell, problems = read_cells(row, header, LABELS, plan, sheet, number)
        name = clean_text(cell.get("village"))
        if not name:
            problems.append("村(社区)名称不能为空")
        else:
            name, problem = resolve_village(plan, known, name)
            if problem:
                problems.append(f"村(社区)：{problem}")
            rows_with_village += 1
            outside += name not in villages
        values: dict[str, Decimal] = {}
        for field in [*MONEY, "total_income"]:
            if field not in cell:
                continue
            try:
                amount = parse_money(cell[field], header.units.get(field, unit or 1))
            except ValueError as exc:
                problems.append(f"{LABELS[field]}：{exc}")
                continue
            if amount is not None:  # a blank cell says nothing: an update keeps the stored amount
                values[field] = amount
        typed_total = values.pop("total_income", None)
        stored = existing_rows.get(villages[name].id) if name in villages else None
        parts = sum(
            (
                values[f] if f in values else getattr(stored, f, None) or Decimal(0)
                for f in CollectiveEconomy.INCOME_FIELDS
            ),
            Decimal("0.00"),
        )
        if (
            typed_total is not None
            and not problems
            and (
                abs(typed_total - parts)
                > Decimal("0.01") * (header.units.get("total_income", unit or 1))
            )
        ):
            kept = [
                LABELS[f]
                for f in CollectiveEconomy.INCOME_FIELDS
                if f not in values and stored is not None and getattr(stored, f)
            ]
            problems.append(
                f"总收入{typed_total}元不等于各项收入之和{parts}元"
                + (f"（表中未填的{'、'.join(kept)}按已存的数计）" if kept else "")
            )
        for field, amount in values.items():
            if amount < 0:
                problems.append(f"{LABELS[field]}不能为负数")
        if name and name in seen:
            problems.append(f"与第{seen[name]}行是同一个村(社区)")
        seen.setdefault(name, number)
        if problems:
            plan.outcomes.append(
                RowOutcome(
                    sheet,
                    number,
                    REFUSE,
                    name or "（无村名）",
                    "；".join(problems),
                    cells=list(row),
                )
            )
            continue
        if not is_blank(cell.get("notes")):
            values["notes"] = clean_text(cell.get("notes"))
        village = villages.get(name)
        old = existing_rows.get(village.id) if village else None
        changed = [f for f, v in values.items() if old is None or getattr(old, f) != v]
        if old is None:
            action, detail = ADD, f"{year}年度集体经济收支"
        elif changed:
            action, detail = UPDATE, "更新：" + "、".join(LABELS.get(f, "备注") for f in changed)
        else:
            action, detail = UNCHANGED, ""

        def apply(writer, name=name, values=values, old=old):
            if old is not None:
                records.save_economy(old, values)
            else:
                village = writer.village(name, year)
                writer.add(CollectiveEconomy, village=village, year=year, **values)

        plan.add_row(sheet, number, action, name, detail, list(row), apply)
    refuse_other_township(plan, rows[: header.row], ours, (outside, rows_with_village))
