"""Our own workbook, restored exactly from its hidden `_data` sheet."""

from __future__ import annotations

import json
import sqlite3

import peewee

from db.dump import DUMP_TABLES, checksum, dump_rows, upsert_rows, write_match
from db.errors import UserError
from db.identity import describe, match_rows
from db.migrations import LATEST
from desktop.imports.plan import ADD, KEEP, UNCHANGED, UPDATE, ImportPlan, RowOutcome
from desktop.reports.data_sheet import FORMAT, read_data_sheet
from desktop.reports.edits import edited_cells

TABLE_LABELS = {
    "township": "乡镇",
    "stat_year": "统计年度",
    "village": "村(社区)",
    "village_year": "村(社区)年度数据",
    "organization": "党组织",
    "org_year": "党组织年度数据",
    "cadre": "干部",
    "appointment": "任职",
    "enrollment": "学历提升",
    "training": "培训",
    "training_attendance": "参训人员",
    "collective_economy": "集体经济",
    "project": "扶持项目",
    "project_village": "项目实施村",
    "project_year": "项目年度数据",
    "finding_note": "审核说明",
}


def read_payload(plan: ImportPlan, rows: list[list]) -> tuple[dict, dict[str, list[dict]]]:
    """Metadata and rows of a `_data` sheet; refuses a damaged or foreign one."""
    meta, lines = read_data_sheet(rows)
    name = plan.source.name
    if meta.get("format") != FORMAT:
        raise UserError(f"“{name}”的数据页格式无法识别，不能恢复。")
    if checksum(lines) != meta.get("sha256"):
        raise UserError(f"“{name}”的数据页校验失败（导出后被改动或文件损坏），不能据此恢复。")
    if int(meta.get("schema_version", 0)) > LATEST:
        raise UserError(f"“{name}”由较新版本的程序导出，请先升级本程序。")
    by_table: dict[str, list[dict]] = {table: [] for table in DUMP_TABLES}
    for line in lines:
        table, row = json.loads(line)
        by_table.setdefault(table, []).append(row)
    return meta, by_table


MAX_NAMED = 10  # records named per line of the preview
MAX_CONFLICTS = 30


def plan_restore(
    plan: ImportPlan, rows: list[list], township_code: str | None, sheets: dict | None = None
) -> dict:
    """Plan restoring the workbook's database into ours (or into a new one). Into an
    existing database records are matched by what they are (`db.identity`), never by id;
    what ours has and the workbook lacks is kept. `sheets`, the workbook's other sheets,
    are compared with what was exported, and cells edited since are reported."""
    meta, by_table = read_payload(plan, rows)
    code = meta.get("township_code", "")
    if township_code is not None and township_code != code:
        raise UserError(
            f"“{plan.source.name}”是 {meta.get('township')}（{code}）的报表，"
            f"不能导入到本乡镇（{township_code}）的数据库。"
        )
    plan.notices.append(
        f"{meta.get('township')} {meta.get('report_year')} 年度报表，导出于 {meta.get('exported_at')}，"
        f"含全部年度数据 {meta.get('row_count')} 行"
    )
    if sheets is not None:
        report_edits(plan, meta, by_table, sheets)
    if township_code is None:
        plan.creates_database = True
        for table, table_rows in by_table.items():
            if table_rows:
                add_outcome(plan, table, ADD, len(table_rows))

        def apply(writer):
            write(plan, lambda: upsert_rows(by_table))

    else:
        match = match_rows(by_table, dump_rows())
        if match.conflicts:
            lines = "\n".join(f"  {c}" for c in match.conflicts[:MAX_CONFLICTS])
            more = len(match.conflicts) - MAX_CONFLICTS
            raise UserError(
                f"“{plan.source.name}”中有 {len(match.conflicts)} 条记录与本数据库中的另一条"
                f"记录身份冲突（同一身份证号或区划代码对应了不同的人或村），"
                f"整个导入已取消、数据未改动：\n{lines}"
                + (f"\n  ……另有 {more} 条" if more > 0 else "")
                + "\n请核实后在本程序中改正其中一方，再重新导入。"
            )
        if match.orphan_notes:
            plan.notices.append(
                f"报表中有 {match.orphan_notes} 条审核说明所指的记录已不存在，未导入"
            )
        for table, m in match.tables.items():
            add_outcome(plan, table, ADD, len(m.added), m.added)
            add_outcome(plan, table, UPDATE, len(m.updated), [new for new, _ in m.updated])
            add_outcome(plan, table, UNCHANGED, len(m.unchanged))
            add_outcome(plan, table, KEEP, len(m.kept), m.kept)

        def apply(writer):
            write(plan, lambda: write_match(match))

    if plan.outcomes:
        plan.outcomes[0].apply = apply
    return meta


def add_outcome(plan: ImportPlan, table: str, action: str, count: int, rows=()) -> None:
    """One preview line per table and action, naming the first few records in words."""
    if not count:
        return
    names = [n for n in (describe(table, r) for r in rows[:MAX_NAMED]) if n]
    detail = f"{count} 条"
    if action == KEEP:
        detail += "（本库原有、报表中没有，保留不删）"
    if names:
        detail += "：" + "、".join(names) + ("等" if count > len(names) else "")
    label = TABLE_LABELS.get(table, table)
    plan.outcomes.append(RowOutcome("_data", 0, action, label, detail, count=count))


def write(plan: ImportPlan, writer) -> None:
    try:
        writer()
    except (peewee.IntegrityError, sqlite3.IntegrityError) as exc:
        raise UserError(
            f"“{plan.source.name}”中的数据与本数据库中的记录冲突（{exc}），未导入。"
        ) from exc


def report_edits(plan: ImportPlan, meta: dict, by_table: dict, sheets: dict) -> None:
    """Visible cells edited after export: listed in the notices, never restored."""
    edits = edited_cells(meta, by_table, sheets)
    if edits:
        cells = [e for e in edits if not e.startswith("……")]
        many = "至少" if len(cells) < len(edits) else ""
        plan.notices.append(
            f"报表导出后有{many} {len(cells)} 处可见单元格被改动；"
            "恢复以数据页为准，这些改动不会导入："
        )
        plan.notices.extend(edits)
