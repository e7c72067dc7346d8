"""Our own workbook, restored exactly from its hidden `_data` sheet."""

from __future__ import annotations

import json
import sqlite3

import peewee

from db.dump import DUMP_TABLES, checksum, diff_rows, upsert_rows
from db.errors import UserError
from db.migrations import LATEST
from desktop.imports.plan import ADD, UNCHANGED, UPDATE, ImportPlan, RowOutcome
from desktop.reports.data_sheet import FORMAT, read_data_sheet

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


def plan_restore(plan: ImportPlan, rows: list[list], township_code: str | None) -> dict:
    """Plan restoring the workbook's database into ours (or into a new one)."""
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
    if township_code is None:
        plan.creates_database = True
        counts = {t: {"add": len(r), "update": 0, "unchanged": 0} for t, r in by_table.items()}
    else:
        counts = diff_rows(by_table)
    for table, c in counts.items():
        label = TABLE_LABELS.get(table, table)
        for action in (ADD, UPDATE, UNCHANGED):
            if c[action]:
                plan.outcomes.append(
                    RowOutcome("_data", 0, action, label, f"{c[action]} 条", count=c[action])
                )

    def apply(writer):
        try:
            upsert_rows(by_table)
        except (peewee.IntegrityError, sqlite3.IntegrityError) as exc:
            raise UserError(
                f"“{plan.source.name}”中的数据与本数据库中的记录冲突（{exc}），未导入。"
            ) from exc

    if plan.outcomes:
        plan.outcomes[0].apply = apply
    return meta
