"""The hidden `_data` sheet: the whole database, versions and a SHA-256 of the data.

The county merges from it without loss, re-import is exact (the emailed workbook is also a
complete backup), and cells edited by hand after export can be detected.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from openpyxl.workbook import Workbook

from db.dump import checksum, dump_rows, row_line
from db.migrations import LATEST
from desktop import __version__

SHEET = "_data"
FORMAT = "township-desk-data/1"
META_KEYS = (
    "format",
    "schema_version",
    "program_version",
    "township_code",
    "township",
    "report_year",
    "exported_at",
    "row_count",
    "sha256",
)


CELLS_PREFIX = "cells:"  # meta keys "cells:<sheet>": a digest of the sheet's visible cells
PEOPLE_KEYS = ("preparer", "reviewer", "phone")


def canonical(value) -> str | None:
    """A cell value as any xlsx reader gives it back: numbers as floats, text as is."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)) or hasattr(value, "as_tuple"):
        return format(float(value), ".12g")
    return str(value)


def cells_digest(rows) -> str:
    """A digest of a sheet's non-empty cells in reading order (rows of values)."""
    digest = hashlib.sha256()
    for row in rows:
        for value in row:
            text = canonical(value)
            if text is not None:
                digest.update(text.encode("utf-8"))
                digest.update(b"\x1f")
        digest.update(b"\x1e")
    return digest.hexdigest()


def sheet_cells(ws) -> list[list]:
    """A worksheet's values, row by row, trailing empty rows dropped (as readers give them)."""
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    while rows and all(canonical(v) is None for v in rows[-1]):
        rows.pop()
    return rows


def add_data_sheet(
    wb: Workbook,
    township_code: str,
    township: str,
    year: int,
    exported_at: dt.datetime,
    people: dict[str, str] | None = None,
) -> str:
    """Append `_data` to the workbook, with a digest of every visible sheet's cells; returns
    the checksum of the data."""
    visible = {ws.title: cells_digest(sheet_cells(ws)) for ws in wb.worksheets}
    lines = [row_line(table, row) for table, rows in dump_rows().items() for row in rows]
    digest = checksum(lines)
    ws = wb.create_sheet(SHEET)
    meta = {
        "format": FORMAT,
        "schema_version": LATEST,
        "program_version": __version__,
        "township_code": township_code,
        "township": township,
        "report_year": year,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "row_count": len(lines),
        "sha256": digest,
    }
    for key in META_KEYS:
        ws.append([key, str(meta[key])])
    for key in PEOPLE_KEYS:
        ws.append([key, (people or {}).get(key, "")])
    for title, sheet_digest in visible.items():
        ws.append([CELLS_PREFIX + title, sheet_digest])
    ws.append(["rows", ""])
    for line in lines:
        ws.append(["", line])
    for row in ws.iter_rows(min_col=2, max_col=2):
        row[0].data_type = "s"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return digest


def read_data_sheet(rows) -> tuple[dict[str, str], list[str]]:
    """Split `_data`'s cell rows (as read by any xlsx reader) into metadata and row lines."""
    meta: dict[str, str] = {}
    lines: list[str] = []
    in_rows = False
    for row in rows:
        first = row[0] if row else None
        second = row[1] if len(row) > 1 else None
        if in_rows:
            if second:
                lines.append(str(second))
        elif first == "rows":
            in_rows = True
        elif first:
            meta[str(first)] = "" if second is None else str(second)
    return meta, lines


def add_merged_data_sheet(wb: Workbook, meta: dict, body: list[tuple[str, str]]) -> None:
    """Append a merged workbook's `_data`: its metadata (with `sha256` over `body`), a digest
    of every visible sheet's cells, then `body` (desktop.merge.payload) after `rows`."""
    visible = {ws.title: cells_digest(sheet_cells(ws)) for ws in wb.worksheets}
    ws = wb.create_sheet(SHEET)
    for key, value in meta.items():
        ws.append([key, str(value)])
    for title, sheet_digest in visible.items():
        ws.append([CELLS_PREFIX + title, sheet_digest])
    ws.append(["rows", ""])
    for key, value in body:
        ws.append([key, value])
    for row in ws.iter_rows(min_col=2, max_col=2):
        row[0].data_type = "s"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
