"""One township's workbook as the county receives it: read, verified, and its figures
recomputed from its `_data` with the same code that exported them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from db.connection import close_db, open_memory_database
from db.dump import upsert_rows
from db.errors import UserError
from db.migrations import LATEST
from db.os_errors import explain_os_error
from db.statistics import base_counts
from db.year_data import load_year_data
from db.years import resolve_year
from desktop.checks import run_checks
from desktop.imports.files import read_sheets
from desktop.imports.plan import ImportPlan
from desktop.imports.restore import read_payload
from desktop.reports.data_sheet import CELLS_PREFIX, SHEET, canonical, cells_digest, sheet_cells
from desktop.reports.sheets import PROVIDERS, ReportContext
from desktop.reports.spec import workbook_specs

MAX_ALTERED_CELLS = 20


@dataclass
class TownshipFile:
    path: Path
    meta: dict = field(default_factory=dict)
    problem: str = ""  # why the file cannot be merged ('' if it can)
    altered: list[str] = field(default_factory=list)  # visible cells changed after export
    superseded_by: Path | None = None
    # computed from `_data` for the report year:
    township: str = ""
    county: str = ""
    authority: str = ""
    cutoff: dt.date | None = None
    rows: dict[str, list[dict]] = field(default_factory=dict)  # sheet → rows
    base: dict = field(default_factory=dict)
    cadres: dict[str, str] = field(default_factory=dict)  # ID number → name

    @property
    def code(self) -> str:
        return self.meta.get("township_code", "")

    @property
    def year(self) -> int | None:
        value = self.meta.get("report_year", "")
        return int(value) if value.isdigit() else None

    @property
    def exported_at(self) -> str:
        return self.meta.get("exported_at", "")

    @property
    def usable(self) -> bool:
        return not self.problem and self.superseded_by is None


def read_township_file(path: Path) -> TownshipFile:
    """Read and verify one file; problems are recorded, never raised."""
    result = TownshipFile(Path(path))
    try:
        sheets = read_sheets(result.path)
        if SHEET not in sheets:
            raise UserError(f"“{result.path.name}”不是本程序导出的报表（没有数据页），无法汇总。")
        meta, by_table = read_payload(ImportPlan(result.path, "汇总"), sheets[SHEET])
        result.meta = meta
        if int(meta.get("schema_version", 0)) > LATEST:
            raise UserError("由较新版本的程序导出，请先升级本程序")
        compute(result, by_table)
        result.altered = altered_cells(result, sheets)
    except UserError as exc:
        result.problem = exc.message
    except OSError as exc:
        result.problem = explain_os_error(exc, result.path, "读取")
    except Exception as exc:  # a bug: the log names the file it happened on
        exc.add_note(f"while merging {result.path}")
        raise
    finally:
        close_db()
    return result


def compute(result: TownshipFile, by_table: dict[str, list[dict]]) -> None:
    """Restore the township into memory and compute its sheets and base counts."""
    from db.connection import township

    open_memory_database()
    upsert_rows(by_table)
    place = township()
    stat_year = resolve_year(result.year)
    data = load_year_data(stat_year)
    findings = run_checks(data=data)
    context = ReportContext(data=data, findings=findings)
    result.township, result.county, result.authority = place.name, place.county, place.authority
    result.cutoff = stat_year.cutoff_date
    result.rows = {spec.sheet: PROVIDERS[spec.rows](context) for spec in workbook_specs()}
    result.base = base_counts(stat_year.year)
    result.cadres = {c.id_number: c.name for c in data.cadres}


def altered_cells(result: TownshipFile, sheets: dict[str, list[list]]) -> list[str]:
    """Visible sheets whose cells differ from what was exported, cell by cell where the
    workbook can be rebuilt from `_data` exactly."""
    changed = [
        key[len(CELLS_PREFIX) :]
        for key, digest in result.meta.items()
        if key.startswith(CELLS_PREFIX)
        and cells_digest(sheets.get(key[len(CELLS_PREFIX) :], [])) != digest
    ]
    if not changed:
        return []
    details = []
    expected = rebuild(result)
    for name in changed:
        if expected is None or name not in expected:
            details.append(f"{name}：导出后被改动")
            continue
        details.extend(cell_differences(name, expected[name], sheets.get(name, [])))
    return details


def rebuild(result: TownshipFile) -> dict[str, list[list]] | None:
    """The visible sheets exactly as exported, rebuilt from `_data` (None if impossible).
    Runs on the in-memory database `compute` filled."""
    from desktop.reports.export import build_workbook

    try:
        when = dt.datetime.fromisoformat(result.exported_at)
        people = {k: result.meta.get(k, "") for k in ("preparer", "reviewer", "phone")}
        wb, *_ = build_workbook(result.year, exported_at=when, **people)
    except (UserError, ValueError):
        return None
    return {ws.title: sheet_cells(ws) for ws in wb.worksheets if ws.title != SHEET}


def cell_differences(name: str, expected: list[list], found: list[list]) -> list[str]:
    from openpyxl.utils import get_column_letter

    lines = []
    height = max(len(expected), len(found))
    for r in range(height):
        want = expected[r] if r < len(expected) else []
        have = found[r] if r < len(found) else []
        for c in range(max(len(want), len(have))):
            a = canonical(want[c]) if c < len(want) else None
            b = canonical(have[c]) if c < len(have) else None
            if a != b:
                lines.append(
                    f"{name} {get_column_letter(c + 1)}{r + 1}：导出时为“{a or ''}”，现为“{b or ''}”"
                )
                if len(lines) >= MAX_ALTERED_CELLS:
                    return lines + [f"{name}：……（更多改动未列出）"]
    return lines or [f"{name}：导出后被改动"]
