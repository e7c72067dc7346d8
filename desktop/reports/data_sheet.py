"""The hidden `_data` sheet: the whole database, versions and a SHA-256 of the data.

The county merges from it without loss, re-import is exact (the emailed workbook is also a
complete backup), and cells edited by hand after export can be detected.
"""

from __future__ import annotations

import datetime as dt

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


def add_data_sheet(
    wb: Workbook, township_code: str, township: str, year: int, exported_at: dt.datetime
) -> str:
    """Append `_data` to the workbook; returns the checksum it carries."""
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
