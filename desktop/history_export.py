"""The change history as the county reviewer reads it: on screen or as a workbook."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from db.changelog import changes
from db.recycle import TABLE_LABELS
from desktop.files import save_atomically
from desktop.forms.history import ACTIONS, field_label, value_text
from desktop.reports.writer import put_text

HEADER = ["时间", "表", "记录", "操作", "字段", "原值", "新值", "说明"]


def _row(change) -> list[str]:
    return [
        f"{change.time:%Y-%m-%d %H:%M:%S}",
        TABLE_LABELS.get(change.table_name, change.table_name),
        change.record_id,
        ACTIONS.get(change.action, change.action),
        field_label(change.table_name, change.field_name) if change.field_name else "",
        value_text(change.table_name, change.field_name, change.old_value),
        value_text(change.table_name, change.field_name, change.new_value),
        change.note,
    ]


def history_lines(table: str | None = None, record: str | None = None) -> list[str]:
    return ["  ".join(v for v in _row(c) if v) for c in changes(table, record)]


def export_history(target: Path, table: str | None = None, record: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "修改记录"
    ws.append(HEADER)
    for change in changes(table, record):
        ws.append([None] * len(HEADER))
        for col, value in enumerate(_row(change), 1):
            put_text(ws.cell(ws.max_row, col), value)
    for letter, width in zip("ABCDEFGH", (20, 14, 8, 8, 18, 24, 24, 30)):
        ws.column_dimensions[letter].width = width
    target = Path(target)
    if target.suffix.lower() != ".xlsx":  # a folder: named so that exports do not overwrite
        from db.connection import township
        from db.models import now

        place = township()
        target = target / f"{place.county}_{place.name}_修改记录_{now():%Y%m%d-%H%M}.xlsx"
    save_atomically(wb, target)
    return target
