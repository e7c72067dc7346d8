"""Village lists (名称, 类别, 区划代码, 村民小组数, 户数, 人口): where the township's villages
come from. A row is matched to a stored village by its 区划代码 or its name (永安 → 永安村);
any other row is a new village — here that is the point, not a mistake. A stored village's
blank cells keep the stored values; the counts go to the chosen year."""

from __future__ import annotations

import re

from db import codes, register_imports
from db.connection import township
from db.models import Village, VillageYear
from desktop import code_words
from desktop.imports.headers import Header, data_rows, read_cells
from desktop.imports.organizations import parse_count, parse_yes_no
from desktop.imports.plan import ADD, REFUSE, UNCHANGED, UPDATE, ImportPlan, RowOutcome
from desktop.imports.values import clean_text, is_blank
from desktop.imports.villages import VillageNames, core_name, other_township

ALIASES = {
    "name": (
        "名称",
        "村(社区)名称",
        "村(社区)",
        "村名",
        "行政村(社区)",
        "村(居)委会",
        "村(居)名称",
    ),
    "kind": ("类别", "村(社区)类别", "类型", "村(社区)类型", "行政村/社区"),
    "code": ("区划代码", "行政区划代码", "统计用区划代码", "村(社区)代码", "区划代码(12位)"),
    "group_count": ("村民小组数", "村(居)民小组数", "居民小组数", "小组数", "村民小组(个)"),
    "households": ("户数", "总户数", "户数(户)"),
    "population": ("人口", "总人口", "人口数", "户籍人口", "人口(人)", "人口数(人)"),
    "relocation_site": ("易地搬迁安置点", "是否易地搬迁安置点"),
    "border": ("边境村", "是否边境村"),
    "collective_org_name": ("村集体经济组织", "村集体经济组织名称", "集体经济组织名称"),
    "credit_code": ("统一社会信用代码", "集体经济组织统一社会信用代码"),
    "notes": ("备注",),
}
# a village list names its villages and at least one of these (so that a table that merely
# has a 村(社区) column is not taken for one)
REQUIRED_ANY = ("kind", "code", "group_count", "households", "population")
LABELS = {
    "name": "名称",
    "kind": "类别",
    "code": "区划代码",
    "group_count": "村民小组数",
    "households": "户数",
    "population": "人口",
    "relocation_site": "易地搬迁安置点",
    "border": "边境村",
    "collective_org_name": "村集体经济组织",
    "credit_code": "统一社会信用代码",
    "notes": "备注",
}
YEARLY = ("group_count", "households", "population")
KIND = "村(社区)名单"


def kinds(planner) -> list[tuple]:
    """The KINDS entries of run.py: one per column that makes a list of villages."""
    return [(KIND, ALIASES, ("name", other), planner) for other in REQUIRED_ANY]


def plan_village_list(
    plan: ImportPlan, sheet: str, rows: list[list], header: Header, year: int
) -> None:
    ours = township()
    stored = register_imports.villages()
    known = VillageNames(stored, ours.name)
    by_code = {v.code: v for v in stored if v.code}
    stored_years = register_imports.village_years(year)
    prefix = ours.division_code[:9]
    plan.header = header.labels
    other = other_township(rows[: header.row], ours.name)
    if other:
        from db.errors import UserError

        raise UserError(
            f"“{plan.source.name}”的表头写的是{other}：这是{other}的村(社区)名单，"
            f"不能导入到{ours.name}，整个文件未导入。"
        )
    seen_names: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    next_order = max((v.sort_order for v in stored), default=0)
    for number, row in data_rows(rows, header, "name", plan, sheet):
        cell, problems = read_cells(row, header, LABELS, plan, sheet, number)
        typed = clean_text(cell.get("name")).replace(" ", "")
        label = typed or "（无名称）"
        values: dict = {}
        code = clean_text(cell.get("code")).replace(" ", "")
        if isinstance(cell.get("code"), (int, float)) and not isinstance(cell.get("code"), bool):
            code = str(int(cell["code"]))
        if code:
            if not re.fullmatch(r"\d{12}", code):
                problems.append(f"区划代码：“{code}”不是12位数字的区划代码")
            elif code[:9] != prefix:
                problems.append(
                    f"区划代码：“{code}”不属于{ours.name}（本乡镇的村(社区)代码以{prefix}开头）"
                )
            else:
                values["code"] = code
        existing = by_code.get(values.get("code", ""))
        try:
            by_name = known.resolve(typed) if typed else None
        except ValueError as exc:
            problems.append(f"名称：{exc}")
            by_name = None
        if existing is None:
            existing = by_name
        elif by_name is not None and by_name.id != existing.id:
            problems.append(f"区划代码{code}是{existing.name}的，名称却是{by_name.name}，请核对")
        if not typed:
            problems.append("名称不能为空")
        kind_text = clean_text(cell.get("kind"))
        if kind_text:
            try:
                values["kind"] = code_words.parse_code(kind_text, "village_kind")
            except ValueError as exc:
                problems.append(f"类别：{exc}")
        elif existing is None and typed:
            ending = core_name(typed)[1]
            if ending is None:
                problems.append("类别未填，名称中也看不出是行政村还是社区（请填“行政村”或“社区”）")
            else:
                values["kind"] = ending
        if typed and (existing is None or typed != existing.name):
            if existing is None:
                values["name"] = typed
            elif core_name(typed)[0] != core_name(existing.name)[0]:
                values["name"] = typed  # the code says which village: renamed
            elif core_name(existing.name)[1] is None and typed in (
                existing.name + "村",
                existing.name + "社区",
            ):
                values["name"] = typed  # 大麦地 written in full: 大麦地村
        for field in ("relocation_site", "border"):
            if field in cell:
                try:
                    flag = parse_yes_no(cell[field])
                except ValueError as exc:
                    problems.append(f"{LABELS[field]}：{exc}")
                else:
                    if flag is not None:
                        values[field] = flag
        for field in ("collective_org_name", "credit_code", "notes"):
            if not is_blank(cell.get(field)):
                values[field] = clean_text(cell[field])
        yearly = {}
        for field in YEARLY:
            if field in cell:
                try:
                    count = parse_count(cell[field])
                except ValueError as exc:
                    problems.append(f"{LABELS[field]}：{exc}")
                    continue
                if count is not None:
                    yearly[field] = count
        households, population = yearly.get("households"), yearly.get("population")
        if households and population is not None and population < households:
            problems.append(f"人口{yearly['population']}少于户数{yearly['households']}")
        key = existing.name if existing else typed
        if key and key in seen_names:
            problems.append(f"与第{seen_names[key]}行是同一个村(社区)")
        seen_names.setdefault(key, number)
        if values.get("code"):
            if values["code"] in seen_codes:
                problems.append(f"区划代码与第{seen_codes[values['code']]}行相同")
            seen_codes.setdefault(values["code"], number)
        if problems:
            plan.outcomes.append(
                RowOutcome(sheet, number, REFUSE, label, "；".join(problems), cells=list(row))
            )
            continue
        old_year = stored_years.get(existing.id) if existing else None
        if existing is None:
            next_order += 1
            values["sort_order"] = next_order
            kind_name = code_table_name(values["kind"])
            action, detail = ADD, f"新建{kind_name}（{year}年度）"
        else:
            changed = [LABELS[f] for f, v in values.items() if getattr(existing, f) != v]
            if "name" in values:
                changed[changed.index("名称")] = f"名称（原为{existing.name}）"
            if old_year is None:
                changed.append(f"{year}年度报送")
            changed += [
                LABELS[f] for f, v in yearly.items() if old_year and getattr(old_year, f) != v
            ]
            action = UPDATE if changed else UNCHANGED
            detail = "更新：" + "、".join(changed) if changed else ""

        def apply(writer, existing=existing, values=values, yearly=yearly, old_year=old_year):
            if existing is None:
                village_id = writer.add(Village, **values)
                writer.villages[values["name"]] = village_id
            else:
                village_id = existing.id
                changes = {f: v for f, v in values.items() if getattr(existing, f) != v}
                if changes:
                    register_imports.update(Village, village_id, changes)
                    if "name" in changes:
                        writer.villages[changes["name"]] = village_id
            if old_year is None and (village_id, year) not in writer.village_years:
                writer.village_years.add((village_id, year))
                writer.add(VillageYear, village=village_id, year=year, **yearly)
            elif yearly:
                register_imports.update(VillageYear, old_year.id, yearly)

        plan.add_row(
            sheet,
            number,
            action,
            existing.name if existing and "name" not in values else label,
            detail,
            list(row),
            apply,
        )


def code_table_name(kind: str) -> str:
    return "社区" if kind == codes.COMMUNITY else "行政村"
