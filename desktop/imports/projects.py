"""Support-project ledgers (表6-like): one project a row — 项目名称, 实施村(社区) (several,
separated by 、), 项目类型, 立项年度, the sources of funds (in 万元 unless the sheet says
元), 合作主体, 建设状态 and the year's 收益 and 分红. Checked by the project form's own rules;
matched to a stored project by its name (and 立项年度 when two share a name)."""

from __future__ import annotations

import re
from decimal import Decimal

from db import records, register_imports
from db.connection import township
from db.models import Project, ProjectVillage, ProjectYear
from desktop import code_words
from desktop.forms import project_form
from desktop.forms.project_form import ProjectInput
from desktop.imports.headers import Header, data_rows, read_cells
from desktop.imports.organizations import parse_count
from desktop.imports.plan import ADD, REFUSE, UNCHANGED, UPDATE, ImportPlan, RowOutcome
from desktop.imports.values import clean_text, is_blank, parse_money
from desktop.imports.villages import VillageNames, refuse_other_township, resolve_village

FUNDS = {
    "fund_central": ("中央资金", "中央", "总投资中央", "中央财政资金", "中央财政"),
    "fund_provincial": ("省级资金", "省级", "总投资省级", "省级财政资金", "省级财政"),
    "fund_prefecture": ("州(市)级资金", "州(市)级", "总投资州(市)级", "州级", "市级", "州级资金"),
    "fund_county": ("县级资金", "县级", "总投资县级", "县级财政资金", "县级财政"),
    "fund_self": ("乡镇及村自筹", "自筹", "总投资乡镇及村自筹", "自筹资金", "乡镇及村自筹资金"),
    "fund_social": ("社会资本", "总投资社会资本", "社会资金", "社会投资"),
}
YEAR_MONEY = {
    "income": ("当年收益", "本年收益", "年收益", "收益"),
    "dividend_collective": ("分红村集体", "村集体分红", "村集体", "村集体收益"),
    "dividend_households": ("分红农户", "农户分红", "农户"),
}
ALIASES = {
    "name": ("项目名称", "项目"),
    "villages": ("实施村(社区)", "实施村", "项目实施村", "所在村(社区)", "实施村(社区)名称"),
    "type": ("项目类型", "类型", "项目类别"),
    "start_year": ("立项年度", "立项年份", "实施年度", "项目年度"),
    "investment": ("总投资合计", "总投资", "合计总投资", "项目总投资"),
    **FUNDS,
    "partner": ("合作主体", "合作企业", "经营主体", "运营主体"),
    "status": ("建设状态", "项目状态", "建设情况", "状态"),
    **YEAR_MONEY,
    "households_driven": ("带动农户数", "带动农户", "带动农户(户)", "带动户数"),
    "notes": ("备注",),
}
LABELS = {
    "name": "项目名称",
    "villages": "实施村(社区)",
    "type": "项目类型",
    "start_year": "立项年度",
    "investment": "总投资",
    **Project.FUND_LABELS,
    "partner": "合作主体",
    "status": "建设状态",
    **project_form.YEAR_LABELS,
    "households_driven": "带动农户数",
    "notes": "备注",
}
KIND = "扶持项目台账"
VILLAGE_SPLIT = re.compile(r"[、,，;；/]+")
SHARE = re.compile(r"(.+?)[(（]\s*(\d+(?:\.\d+)?)\s*%?\s*[)）]$")


def kinds(planner) -> list[tuple]:
    return [(KIND, ALIASES, ("name", other), planner) for other in ("villages", "investment")]


def _wan(amount: Decimal) -> str:
    return f"{amount / 10000:f}".rstrip("0").rstrip(".") if amount else "0"


def plan_projects(plan: ImportPlan, sheet: str, rows: list[list], header: Header, year: int):
    villages = records.villages_by_name()
    ours = township()
    known = VillageNames(villages.values(), ours.name)
    stored: dict[str, list[Project]] = {}
    for item in register_imports.projects():
        stored.setdefault(item.name, []).append(item)
    unit = header.sheet_unit
    if unit is None and not header.units:
        unit = Decimal(10000)
        plan.notices.append(f"{sheet}：表中未注明计量单位，金额按“万元”导入")
    plan.header = header.labels
    seen: dict[str, int] = {}
    rows_with_village = outside = 0
    for number, row in data_rows(rows, header, "name", plan, sheet):
        cell, problems = read_cells(row, header, LABELS, plan, sheet, number)
        name = clean_text(cell.get("name"))
        start_year = None
        if not is_blank(cell.get("start_year")):
            text = clean_text(cell["start_year"]).removesuffix("年")
            if re.fullmatch(r"\d{4}", text):
                start_year = int(text)
            else:
                problems.append(
                    f"立项年度：“{clean_text(cell['start_year'])}”请写四位年份，如 2023"
                )
        candidates = stored.get(name, [])
        if len(candidates) > 1:
            candidates = [p for p in candidates if p.start_year == start_year]
        existing = candidates[0] if len(candidates) == 1 else None
        form = project_form.load(existing.id, year) if existing else ProjectInput(amounts={})
        form.name = name
        if start_year is not None:
            form.start_year = start_year
        elif existing is None:
            problems.append("新项目请填写立项年度")
        for field, table in (("type", "project_type"), ("status", "project_status")):
            if not is_blank(cell.get(field)):
                try:
                    setattr(form, field, code_words.parse_code(cell[field], table))
                except ValueError as exc:
                    problems.append(f"{LABELS[field]}：{exc}")
            elif existing is None:
                problems.append(f"新项目请填写{LABELS[field]}")
        amounts = {}
        for field in [*FUNDS, *YEAR_MONEY, "investment"]:
            if field in cell:
                try:
                    amount = parse_money(cell[field], header.units.get(field, unit or 1))
                except ValueError as exc:
                    problems.append(f"{LABELS[field]}：{exc}")
                    continue
                if amount is not None:
                    amounts[field] = amount
        total = amounts.pop("investment", None)
        for field, amount in amounts.items():
            form.amounts[field] = _wan(amount)
        if total is not None:
            funds = [f for f in FUNDS if f in amounts]
            if not funds and total:
                problems.append(
                    "总投资只有合计，没有分列中央、省级、州(市)级、县级、自筹、社会资本："
                    "请在表中分列资金来源后再导入（程序不替您猜来源）"
                )
            else:
                parts = sum((parse_fund(form.amounts.get(f, "")) for f in FUNDS), Decimal("0.00"))
                if abs(parts - total) > Decimal("0.01") * (
                    header.units.get("investment", unit or 1)
                ):
                    problems.append(f"总投资{_wan(total)}万元不等于各项资金之和{_wan(parts)}万元")
        if "households_driven" in cell:
            try:
                count = parse_count(cell["households_driven"])
            except ValueError as exc:
                problems.append(f"带动农户数：{exc}")
            else:
                if count is not None:
                    form.households_driven = count
        if not is_blank(cell.get("partner")):
            form.partner = clean_text(cell["partner"])
        typed_villages = clean_text(cell.get("villages"))
        new_names: dict[int, str] = {}
        if typed_villages:
            chosen: dict[int, str] = {}
            for part in VILLAGE_SPLIT.split(typed_villages):
                part = part.strip()
                if not part:
                    continue
                share = ""
                match = SHARE.fullmatch(part)
                if match:
                    part, share = match.group(1).strip(), match.group(2)
                village_name, problem = resolve_village(plan, known, part)
                rows_with_village += 1
                outside += village_name not in villages
                if problem:
                    problems.append(f"实施村(社区)：{problem}")
                elif village_name in villages:
                    chosen[villages[village_name].id] = share
                else:  # confirmed new (or added by the workbook's village list)
                    new_names[-1 - len(new_names)] = village_name
                    chosen[-len(new_names)] = share
            form.villages = chosen
        project, yearly, shares = project_form.check(form, year)
        problems += [
            f"{LABELS.get(k, project_form.YEAR_LABELS.get(k, k))}：{v}"
            for k, v in form.errors.items()
            if not (k == "villages" and problems and not form.villages)
        ]
        if name and name in seen and existing is None:
            problems.append(f"与第{seen[name]}行是同一个项目")
        seen.setdefault(name, number)
        label = name or "（无名称）"
        if problems:
            plan.outcomes.append(
                RowOutcome(sheet, number, REFUSE, label, "；".join(problems), cells=list(row))
            )
            continue
        if not is_blank(cell.get("notes")):
            project["notes"] = clean_text(cell["notes"])
        if existing is None:
            action, detail = ADD, f"新增项目（{year}年度）"
        else:
            old_year = records.project_year(existing.id, year)
            changed = [LABELS.get(f, f) for f, v in project.items() if getattr(existing, f) != v]
            changed += [
                LABELS.get(f, f)
                for f, v in yearly.items()
                if old_year is None or getattr(old_year, f) != v
            ]
            if register_imports.project_village_ids(existing.id) != set(shares):
                changed.append("实施村(社区)")
            action = UPDATE if changed else UNCHANGED
            detail = "更新：" + "、".join(dict.fromkeys(changed)) if changed else ""

        def apply(
            writer, existing=existing, project=project, yearly=yearly, shares=shares, new=new_names
        ):
            made = {key: writer.village(name, year) for key, name in new.items()}
            shares = {made.get(key, key): share for key, share in shares.items()}
            if existing is not None:
                register_imports.defer_links()
                records.save_project(existing.id, year, project, yearly, shares)
                return
            project_id = writer.add(Project, **project)
            writer.add(ProjectYear, project=project_id, year=year, **yearly)
            for village_id, share in shares.items():
                if village_id not in made.values():
                    writer.village(records.village(village_id).name, year)
                writer.add(ProjectVillage, project=project_id, village=village_id, share=share)

        plan.add_row(sheet, number, action, label, detail, list(row), apply)
    refuse_other_township(plan, rows[: header.row], ours, (outside, rows_with_village))


def parse_fund(text: str) -> Decimal:
    return (Decimal(text) * 10000).quantize(Decimal("0.01")) if text.strip() else Decimal("0.00")
