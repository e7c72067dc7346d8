"""Planning and applying an import of one or more files, all or nothing."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from db.connection import database_path, init_db, township
from db.errors import UserError
from db.fresh import build_database, is_empty_database
from db.records import BulkWriter, transaction
from db.years import resolve_year
from desktop.imports import (
    economy,
    organizations,
    projects,
    roster,
    trainings,
    village_list,
)
from desktop.imports.files import read_workbook
from desktop.imports.headers import find_header
from desktop.imports.plan import ADD, REFUSE, ImportPlan, RowOutcome
from desktop.imports.restore import plan_restore
from desktop.reports.data_sheet import SHEET as DATA_SHEET
from desktop.reports.writer import put_text

KINDS = (
    ("干部花名册", roster.ALIASES, roster.REQUIRED, roster.plan_roster),
    ("集体经济收入表", economy.ALIASES, economy.REQUIRED, economy.plan_economy),
    (
        "党组织名册",
        organizations.ALIASES,
        organizations.REQUIRED,
        organizations.plan_organizations,
    ),
    *village_list.kinds(village_list.plan_village_list),
    *trainings.kinds(trainings.plan_trainings),
    *projects.kinds(projects.plan_projects),
)


@dataclass
class ImportResult:
    plans: list[ImportPlan]
    applied: bool
    corrections: list[Path] = field(default_factory=list)  # the 待修正 files written
    backup: Path | None = None


def plan_file(
    path: Path,
    year: int | None,
    township_code: str | None,
    corrections: dict | None = None,
    sheet: str | None = None,
    new_villages=(),
) -> ImportPlan:
    """What importing `path` would do. `corrections` {(file, sheet, row): cells} replace
    rows the clerk fixed in the preview (the file itself is never changed). A roster or
    table is read from the visible sheets, or from `sheet` (hidden or not) if given;
    `new_villages` are the names the clerk confirmed as new villages (any other unknown
    name is refused)."""
    book = read_workbook(path)
    sheets = _corrected(path, book.raw(), corrections)
    if DATA_SHEET in sheets:
        plan = ImportPlan(path, "本程序导出的报表")
        plan_restore(plan, sheets[DATA_SHEET], township_code, sheets)
        return plan
    if township_code is None:
        raise UserError(
            f"“{path.name}”不是本程序导出的报表：请先建立乡镇数据库（init），再导入花名册或统计表。"
        )
    if sheet is not None and sheet not in book.sheets:
        names = "、".join(book.sheets)
        raise UserError(f"“{path.name}”中没有名为“{sheet}”的工作表（有：{names}）。")
    stat_year = resolve_year(year).year
    chosen = [n for n, s in book.sheets.items() if n == sheet or (sheet is None and not s.hidden)]
    sheets = _corrected(path, {n: book.cells(n) for n in chosen}, corrections)
    best = _best_header(sheets)
    if best is None:
        hidden = [n for n, s in book.sheets.items() if s.hidden and n not in chosen]
        found = _best_header({n: book.cells(n) for n in hidden}) if sheet is None else None
        if found:
            raise UserError(
                f"“{path.name}”中只有隐藏的工作表（{found[0]}）有可识别的表头。"
                "隐藏的工作表不导入；如确需导入，请指定该工作表（命令行加 --sheet 工作表名，"
                "或在导入页选择工作表）。"
            )
        where = f"工作表“{sheet}”" if sheet else f"“{path.name}”"
        raise UserError(
            f"{where}中没有找到可识别的表头：干部花名册需要“姓名”和“身份证号”列，"
            "集体经济收入表需要“村(社区)”和“经营收入”列，党组织名册需要“党组织名称”列，"
            "村(社区)名单需要“名称”和“类别”（或区划代码、户数、人口）列，培训台账需要“名称/班次”"
            "和“起止日期”列，扶持项目台账需要“项目名称”和“实施村(社区)”列（表头须在前15行内）。"
        )
    name, rows, header, kind, planner = best
    plan = ImportPlan(
        path,
        kind,
        sheets=[(n, s.hidden) for n, s in book.sheets.items()],
        confirmed_villages=set(new_villages),
    )
    plan.sheet = name
    if len(book.sheets) > 1:
        listed = "、".join(
            f"{n}（{'隐藏，' if s.hidden else ''}{'已读取' if n == name else '未读取'}）"
            for n, s in book.sheets.items()
        )
        plan.notices.append(f"工作簿中的工作表：{listed}")
    planner(plan, name, rows, header, stat_year)
    return plan


# the order a workbook's registers are written in: villages before what lies in them,
# organizations before the cadres whose posts belong to them
WORKBOOK_ORDER = ("村(社区)名单", "党组织名册", "干部花名册")


def plan_workbook(
    path: Path,
    year: int | None,
    township_code: str | None,
    corrections: dict | None = None,
    sheet: str | None = None,
    new_villages=(),
) -> list[ImportPlan]:
    """The plans for `path`: one, or — for a workbook filled by hand like our 表1–表6 (no
    `_data`), where several visible sheets are registers — one per such sheet, villages
    first. Villages a village-list sheet adds count as confirmed for the other sheets."""
    if sheet is not None or township_code is None:
        return [plan_file(path, year, township_code, corrections, sheet, new_villages)]
    book = read_workbook(path)
    if DATA_SHEET in book.sheets:
        return [plan_file(path, year, township_code, corrections, sheet, new_villages)]
    found = []
    for name, item in book.sheets.items():
        if item.hidden:
            continue
        best = _best_header(_corrected(path, {name: book.cells(name)}, corrections))
        if best is not None:
            found.append((name, best[3]))
    if len(found) < 2:
        return [plan_file(path, year, township_code, corrections, sheet, new_villages)]
    rank = {kind: n for n, kind in enumerate(WORKBOOK_ORDER)}
    found.sort(key=lambda item: rank.get(item[1], len(rank)))
    confirmed = set(new_villages)
    plans = []
    for name, _kind in found:
        plan = plan_file(path, year, township_code, corrections, name, confirmed)
        plan.kind = f"{name}：{plan.kind}"
        if plan.kind.endswith("村(社区)名单"):
            confirmed |= {o.label for o in plan.outcomes if o.action == ADD}
        if plans:
            plan.notices = [n for n in plan.notices if not n.startswith("工作簿中的工作表")]
        plans.append(plan)
    _refuse_added_twice(plans)
    people = {
        o.label.split("（")[0]
        for plan in plans
        if plan.kind.endswith("干部花名册")
        for o in plan.outcomes
        if o.action == ADD
    }
    for plan in plans:  # a 书记 the workbook's own roster adds is no missing person
        plan.notices = [_in_roster(n, people) for n in plan.notices]
    read = {name for name, _kind in found}
    skipped = [n for n, item in book.sheets.items() if n not in read and not item.hidden]
    if skipped:
        plans[0].notices.append(
            f"未导入的工作表：{'、'.join(skipped)}（不是名册或台账；统计表由程序根据名册计算）"
        )
    return plans


def _refuse_added_twice(plans: list[ImportPlan]) -> None:
    """A record two sheets of one workbook would both add (the same person in 表3 and 表4,
    two rosters of one kind) is refused on the later sheet: it can be added once."""
    first: dict[tuple, RowOutcome] = {}
    for plan in plans:
        kind = plan.kind.split("：", 1)[-1]
        for outcome in plan.outcomes:
            if outcome.action != ADD:
                continue
            key = (kind, outcome.label)
            if key in first:
                earlier = first[key]
                outcome.action, outcome.apply = REFUSE, None
                outcome.detail = (
                    f"与{earlier.sheet} 第{earlier.row}行是同一条记录，只能新增一次："
                    "请合并到一行后再导入"
                )
            else:
                first[key] = outcome


def _in_roster(notice: str, people: set[str]) -> str:
    match = re.search(r"书记“(.+?)”不在干部名册中，未登记书记任职（.*）$", notice)
    if match and match.group(1) in people:
        return notice[: match.start()] + (
            f"书记“{match.group(1)}”在本工作簿的花名册中，其任职按花名册登记"
        )
    return notice


def _best_header(sheets: dict[str, list[list]]):
    """(sheet, rows, header, kind, planner) of the header naming the most of our fields."""
    best = None
    for sheet, rows in sheets.items():
        for kind, aliases, required, planner in KINDS:
            header = find_header(rows, aliases, required)
            if header and (best is None or len(header.columns) > len(best[2].columns)):
                best = (sheet, rows, header, kind, planner)
    return best


def _corrected(path: Path, sheets: dict[str, list[list]], corrections: dict | None) -> dict:
    for (file, sheet, number), cells in (corrections or {}).items():
        if file == str(path) and sheet in sheets and 0 < number <= len(sheets[sheet]):
            sheets[sheet][number - 1] = list(cells)
    return sheets


def run_import(
    paths: list[Path],
    data_dir: Path | None,
    *,
    year: int | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
    progress=None,
    corrections: dict | None = None,
    sheet: str | None = None,
    new_villages=(),
) -> ImportResult:
    """Plan every file; unless `dry_run`, apply them in one transaction. Refused rows stop
    the whole import, or with `valid_only` are left out and written to a 待修正 file.
    A village is created only if its name is in `new_villages` (the clerk confirmed it)."""
    from db.backup import safety_backup

    db_path = database_path(data_dir)
    code = None
    empty = is_empty_database(db_path)  # tables but no township (an old crash) is empty
    if not empty:
        init_db(db_path)
        code = township().division_code
    report = progress or (lambda _text, _percent: None)
    plans = []
    for number, path in enumerate(paths):
        report(f"正在读取并核对“{Path(path).name}”……", 5 + 60 * number // len(paths))
        plans.extend(plan_workbook(Path(path), year, code, corrections, sheet, new_villages))
    if empty and sum(p.creates_database for p in plans) > 1:
        raise UserError("数据文件夹中还没有数据库时，一次只能从一个报表恢复。")
    refused = [o for plan in plans for o in plan.refused]
    if dry_run:
        return ImportResult(plans, applied=False)
    if refused and not valid_only:
        lines = "\n".join(f"  {o.line()}" for o in refused[:50])
        raise UserError(
            f"有 {len(refused)} 行不能导入，整个导入已取消、数据未改动：\n{lines}\n"
            "请修正后重新导入，或加 --valid-only 只导入正确的行（不能导入的行会另存为“待修正”文件）。"
        )
    # the 待修正 files are written before any data: if they cannot be, nothing is imported
    pending = [prepare_corrections(plan) for plan in plans if plan.refused]
    try:
        backup = None
        if not empty:
            report("正在备份数据……", 70)
            backup = safety_backup("before-import")
        report("正在写入数据……", 80)

        def apply_all() -> None:
            with transaction():
                writer = BulkWriter()
                for plan in plans:
                    for outcome in plan.outcomes:
                        if outcome.apply is not None and outcome.action != REFUSE:
                            outcome.apply(writer)
                    writer.flush()  # a later register finds what this one wrote

        if empty:
            build_database(db_path, apply_all)  # a new database appears whole, or not at all
        else:
            apply_all()
    except BaseException:
        for temporary, _target in pending:
            temporary.unlink(missing_ok=True)
        raise
    corrections = [_put_in_place(temporary, target) for temporary, target in pending]
    return ImportResult(plans, applied=True, corrections=corrections, backup=backup)


CORRECTIONS = "_待修正"


def corrections_name(source: Path) -> Path:
    """`<name>_待修正.xlsx` beside the source; never one that exists (the clerk may have
    edited it): then `<name>_待修正(2).xlsx` and so on. A 待修正 file imported again gets
    its next number, not `_待修正_待修正`."""
    stem = source.stem
    base = re.sub(r"\(\d+\)$", "", stem) if CORRECTIONS in stem else stem
    if base.endswith(CORRECTIONS):
        base = base[: -len(CORRECTIONS)]
    target = source.with_name(f"{base}{CORRECTIONS}.xlsx")
    n = 1
    while target.exists():
        n += 1
        target = source.with_name(f"{base}{CORRECTIONS}({n}).xlsx")
    return target


def _corrections_workbook(plan: ImportPlan) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "待修正"
    ws.append([*plan.header, "原表行号", "未导入原因"])
    for outcome in plan.refused:
        cells = list(outcome.cells) + [""] * (len(plan.header) - len(outcome.cells))
        ws.append([None] * (len(cells) + 2))
        for col, value in enumerate([*cells, outcome.row, outcome.detail], 1):
            cell = ws.cell(ws.max_row, col)
            if isinstance(value, str):
                put_text(cell, value)
            else:
                cell.value = value
    return wb


def prepare_corrections(plan: ImportPlan) -> tuple[Path, Path]:
    """The 待修正 workbook written completely under a temporary name beside the source,
    before anything is imported; refuses (nothing imported) if it cannot be written."""
    target = corrections_name(plan.source)
    wb = _corrections_workbook(plan)
    try:
        handle, name = tempfile.mkstemp(prefix=".待修正-", suffix=".xlsx", dir=target.parent)
        os.close(handle)
    except OSError as exc:
        raise UserError(
            f"无法在 {target.parent} 中写入待修正文件 {target.name}（{_os_reason(exc)}），"
            "整个导入已取消、数据未改动。请把文件复制到可写的文件夹（如桌面）后重新导入。"
        ) from exc
    temporary = Path(name)
    try:
        wb.save(temporary)
        with open(temporary, "rb+") as f:
            os.fsync(f.fileno())
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UserError(
            f"无法写入待修正文件 {target}（{_os_reason(exc)}），整个导入已取消、数据未改动。"
        ) from exc
    return temporary, target


def _put_in_place(temporary: Path, target: Path) -> Path:
    """Give the complete 待修正 file its name (the data is imported by now)."""
    if target.exists():
        target = corrections_name(target)
    try:
        os.replace(temporary, target)
    except OSError:
        return temporary  # still complete, under the name it was written with
    return target


def _os_reason(exc: OSError) -> str:
    return "磁盘空间不足" if exc.errno in (27, 28) else (exc.strerror or str(exc))


def write_corrections(plan: ImportPlan) -> Path:
    """The refused rows of `plan`, each with its reason, beside the source: nothing typed
    is lost."""
    temporary, target = prepare_corrections(plan)
    return _put_in_place(temporary, target)
