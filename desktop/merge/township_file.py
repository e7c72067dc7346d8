"""One township's workbook as the county receives it: read, verified, and its figures
recomputed from its `_data` with the same code that exported them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from db.connection import close_db, open_memory_database
from db.dump import upsert_rows
from db.errors import UserError
from db.identity import cadre_identity
from db.migrations import LATEST
from db.os_errors import explain_os_error
from db.year_data import load_year_data
from db.year_facts import base_counts
from db.years import resolve_year
from desktop.checks import run_checks
from desktop.imports.files import read_sheets
from desktop.imports.plan import ImportPlan
from desktop.imports.restore import read_payload
from desktop.reports.data_sheet import SHEET
from desktop.reports.edits import edited_cells
from desktop.reports.sheets import PROVIDERS, ReportContext
from desktop.reports.spec import workbook_specs


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
        result.altered = edited_cells(meta, by_table, sheets)
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

    db = open_memory_database()
    with db.atomic():  # foreign keys checked at commit: a parent may come after its child
        upsert_rows(by_table)
    place = township()
    stat_year = resolve_year(result.year)
    data = load_year_data(stat_year)
    findings = run_checks(data=data)
    context = ReportContext(data=data, findings=findings)
    result.township, result.county, result.authority = place.name, place.county, place.authority
    result.cutoff = stat_year.cutoff_date
    result.rows = {spec.sheet: PROVIDERS[spec.rows](context) for spec in workbook_specs()}
    result.base = base_counts(data)
    result.cadres = {cadre_identity(c.id_number): c.name for c in data.cadres}
