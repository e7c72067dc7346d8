"""Visible cells edited by hand after export, found from the workbook's own `_data`.

At export every visible sheet's cells were digested into `_data` (`cells:<sheet>`). A sheet
whose cells now differ is rebuilt from `_data` with the code that exported it and compared
cell by cell; each difference is told as sheet, cell, the record in words, the column, and
the values before and after. The county merge and the restore of our own workbook both
report these edits with this one function; neither takes the edited cells for data.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.utils import get_column_letter

from db.errors import UserError
from db.scratch import rows_in_place
from desktop.reports.data_sheet import CELLS_PREFIX, SHEET, canonical, cells_digest, sheet_cells
from desktop.reports.spec import SheetSpec, workbook_specs

MAX_EDITED_CELLS = 20
GENERIC_LABELS = ("合计", "小计", "其中")


def edited_sheets(meta: dict, sheets: dict[str, list[list]]) -> list[str]:
    """The visible sheets whose cells are not those exported (by their digests)."""
    return [
        key[len(CELLS_PREFIX) :]
        for key, digest in meta.items()
        if key.startswith(CELLS_PREFIX)
        and cells_digest(sheets.get(key[len(CELLS_PREFIX) :], [])) != digest
    ]


def edited_cells(
    meta: dict, by_table: dict[str, list[dict]], sheets: dict[str, list[list]]
) -> list[str]:
    """Every visible cell edited since export, in words (at most MAX_EDITED_CELLS lines).
    `by_table` is the workbook's verified `_data`; the database bound now is left as it is."""
    changed = edited_sheets(meta, sheets)
    if not changed:
        return []
    specs = {spec.sheet: spec for spec in workbook_specs()}
    expected = rebuild(meta, by_table, tuple(specs[n] for n in changed if n in specs))
    lines: list[str] = []
    for name in changed:
        if expected is None or name not in expected:
            lines.append(f"{name}：导出后被改动")
        else:
            lines.extend(
                cell_differences(name, expected[name], sheets.get(name, []), specs.get(name))
            )
        if len(lines) >= MAX_EDITED_CELLS:
            return lines[:MAX_EDITED_CELLS] + ["……（更多改动未列出）"]
    return lines


def rebuild(
    meta: dict, by_table: dict[str, list[dict]], specs: tuple[SheetSpec, ...]
) -> dict[str, list[list]] | None:
    """The cover and the sheets of `specs` exactly as exported, rebuilt from `_data` (None
    if that is impossible, e.g. a workbook of an older program). The database in use is
    not touched."""
    from desktop.reports.export import build_workbook

    try:
        when = dt.datetime.fromisoformat(meta.get("exported_at", ""))
        year = int(meta.get("report_year", ""))
        people = {k: meta.get(k, "") for k in ("preparer", "reviewer", "phone")}
        with rows_in_place(by_table):
            wb, *_ = build_workbook(year, exported_at=when, specs=specs, data_sheet=False, **people)
            return {ws.title: sheet_cells(ws) for ws in wb.worksheets if ws.title != SHEET}
    except (UserError, ValueError):
        return None


def cell_differences(
    name: str, expected: list[list], found: list[list], spec: SheetSpec | None = None
) -> list[str]:
    lines = []
    first_data = data_start(expected, spec)
    for r in range(max(len(expected), len(found))):
        want = expected[r] if r < len(expected) else []
        have = found[r] if r < len(found) else []
        for c in range(max(len(want), len(have))):
            a = canonical(want[c]) if c < len(want) else None
            b = canonical(have[c]) if c < len(have) else None
            if a != b:
                where = describe_cell(spec, want or have, r, c, first_data)
                lines.append(
                    f"{name} {get_column_letter(c + 1)}{r + 1}{where}："
                    f"导出时为“{a or ''}”，现为“{b or ''}”"
                )
                if len(lines) >= MAX_EDITED_CELLS:
                    return lines
    return lines or [f"{name}：导出后被改动"]


def data_start(rows: list[list], spec: SheetSpec | None) -> int:
    """The index of a sheet's first record row: after the column-code row (甲 乙 …) where
    there is one, else after the title, the heading line and the header rows."""
    if spec is None:
        return 0
    header_end = 2 + spec.depth
    for index in range(min(header_end + 1, len(rows))):
        if rows[index] and rows[index][0] == "甲":
            return index + 1
    return header_end


def column_label(spec: SheetSpec, c: int) -> str:
    if c >= len(spec.columns):
        return ""
    path = [h.replace("\n", "") for h in spec.columns[c].header]
    label = path[-1]
    top = next((h for h in path[:-1] if h not in GENERIC_LABELS), "")
    return f"{top}·{label}" if top and top != label else label


def describe_cell(spec: SheetSpec | None, row: list, r: int, c: int, first_data: int) -> str:
    """（record, column） for a cell: 表3 → （解德文（麻旺村），职务）."""
    if spec is None:  # 封面: a label in column A, its value beside it
        label = canonical(row[0]) if row and c > 0 else None
        return f"（{label}）" if label else ""
    if r < first_data:
        return "（表头）"
    values = {
        col.source: canonical(row[i]) if i < len(row) else None
        for i, col in enumerate(spec.columns)
    }
    record = values.get("name") or values.get("label") or ""
    village = values.get("village")
    if record and village and village != record:
        record = f"{record}（{village}）"
    column = column_label(spec, c)
    parts = [p for p in (record or f"第{r + 1}行", column) if p]
    return f"（{'，'.join(parts)}）"
