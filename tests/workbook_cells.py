"""Reading a report sheet's cells by their printed header, not by column position: a column
added to a spec moves the others, and the tests that look them up still find them."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet


def code_row(ws: Worksheet) -> int | None:
    """The row of the column codes (甲 1 2 …) under a statistical or ledger sheet's header."""
    return next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "甲"), None)


def header_bottom(ws: Worksheet) -> int:
    """The last header row: above the column codes, or a roster's 序号 row."""
    codes = code_row(ws)
    if codes is not None:
        return codes - 1
    first = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    for merged in ws.merged_cells.ranges:
        if merged.min_col == 1 and merged.min_row == first:
            return merged.max_row
    return first


def header_columns(ws: Worksheet) -> dict[str, int]:
    """Each column's header path (top level first, levels joined by '/', e.g.
    '党组织数/合计') → its column (1-based)."""
    bottom = header_bottom(ws)
    top = bottom
    for merged in ws.merged_cells.ranges:  # the first column's header spans every level
        if merged.min_col == 1 and merged.min_row <= bottom <= merged.max_row:
            top = merged.min_row
    owner = {}
    for merged in ws.merged_cells.ranges:
        if merged.max_row >= top and merged.min_row <= bottom:
            for row in range(max(merged.min_row, top), min(merged.max_row, bottom) + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    owner[row, col] = (merged.min_row, merged.min_col)
    found = {}
    for col in range(1, ws.max_column + 1):
        path, seen = [], set()
        for row in range(top, bottom + 1):
            anchor = owner.get((row, col), (row, col))
            value = ws.cell(*anchor).value
            if value and anchor not in seen:
                path.append(str(value))
            seen.add(anchor)
        if path:
            found["/".join(path)] = col
    return found


def row_by_header(ws: Worksheet, row: int) -> dict[str, object]:
    """The cells of `row`, keyed by their column's header path."""
    return {path: ws.cell(row, col).value for path, col in header_columns(ws).items()}


def total_row(ws: Worksheet) -> dict[str, object]:
    """The 合计 row (right under the column codes), keyed by header path."""
    return row_by_header(ws, header_bottom(ws) + 2)


def body_rows(ws: Worksheet) -> list[dict[str, object]]:
    """The rows under the header (the codes and the 合计 row), up to the first blank one;
    keyed by header path."""
    row = header_bottom(ws) + 1 + (code_row(ws) is not None)

    def lead(row: int) -> tuple:
        return (ws.cell(row, 1).value, ws.cell(row, 2).value)

    if "合计" in lead(row):
        row += 1
    rows = []
    while any(v not in (None, "") for v in lead(row)):
        rows.append(row_by_header(ws, row))
        row += 1
    return rows


def indicator_values(ws: Worksheet) -> dict[str, object]:
    """表7: each printed 指标 → its value."""
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "指标") + 1
    values = {}
    for row in range(start, ws.max_row + 1):
        label = ws.cell(row, 1).value
        if not label:
            break
        values[label] = ws.cell(row, 2).value
    return values
