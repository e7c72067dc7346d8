"""The workbooks a merge receives: a township's (its own `_data`) or a merged one (a county's
or 州(市)'s, carrying every township's payload whole). Each township is read, verified and
its figures recomputed from its rows with the same code that exported them."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from pathlib import Path

import peewee

from db.connection import close_db, open_memory_database
from db.dump import upsert_rows
from db.errors import UserError
from db.identity import cadre_identity
from db.os_errors import explain_os_error
from db.year_data import load_year_data
from db.year_facts import base_counts
from db.years import resolve_year
from desktop.checks import run_checks
from desktop.imports.files import read_sheets
from desktop.merge.payload import DataSheet, Payload, parse_lines, read_data
from desktop.reports.data_sheet import SHEET
from desktop.reports.edits import edited_cells, edited_sheets
from desktop.reports.sheets import PROVIDERS, ReportContext
from desktop.reports.spec import workbook_specs

UNREADABLE = (
    peewee.PeeweeException,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    decimal.InvalidOperation,
)


@dataclass
class TownshipFile:
    path: Path  # the file it arrived in
    meta: dict = field(default_factory=dict)
    problem: str = ""  # why the file cannot be merged ('' if it can)
    altered: list[str] = field(default_factory=list)  # visible cells changed after export
    superseded_by: TownshipFile | None = None  # a later export of the same township
    identical_to: TownshipFile | None = None  # the very same export, received again
    inside: str = ""  # the unit whose merged workbook carried it ('' when sent alone)
    payload: Payload | None = None
    # computed from `_data` for the report year:
    township: str = ""
    county: str = ""
    prefecture: str = ""
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
        value = str(self.meta.get("report_year", ""))
        return int(value) if value.isdigit() else None

    @property
    def exported_at(self) -> str:
        return self.meta.get("exported_at", "")

    @property
    def sha(self) -> str:
        return self.meta.get("sha256", "")

    @property
    def where(self) -> str:
        """The file in words: its name, and the merged workbook it came inside."""
        if not self.inside:
            return self.path.name
        return f"{self.path.name}（{self.inside}汇总表）中的{self.township or self.code}"

    @property
    def usable(self) -> bool:
        return not self.problem and self.superseded_by is None and self.identical_to is None


@dataclass
class InputFile:
    """One file received: its level and the townships it carries."""

    path: Path
    level: str  # township, county, prefecture ('' if unreadable)
    meta: dict = field(default_factory=dict)
    townships: list[TownshipFile] = field(default_factory=list)
    problem: str = ""
    files: list[dict] = field(default_factory=list)  # 汇总情况 rows of the level below
    issues: list[dict] = field(default_factory=list)  # 汇总问题 rows of the level below
    altered_sheets: list[str] = field(default_factory=list)  # sheets changed after merging

    @property
    def unit(self) -> str:
        return self.meta.get("unit", "") if self.level != "township" else ""


def read_input(path: Path) -> InputFile:
    """Read and verify one received file; problems are recorded, never raised."""
    path = Path(path)
    try:
        sheets = read_sheets(path)
        if SHEET not in sheets:
            raise UserError(f"“{path.name}”不是本程序导出的报表（没有数据页），无法汇总。")
        data: DataSheet = read_data(sheets[SHEET], path.name)
    except UserError as exc:
        return InputFile(
            path, "", problem=exc.message, townships=[TownshipFile(path, problem=exc.message)]
        )
    if data.level == "township":
        one = TownshipFile(path, meta=data.meta, payload=data.payloads[0])
        by_table = load(one, path.name)
        if by_table is not None:
            one.altered = edited_cells(data.meta, by_table, sheets)
        return InputFile(path, "township", data.meta, [one])
    received = InputFile(
        path,
        data.level,
        data.meta,
        files=data.files,
        issues=data.issues,
        altered_sheets=edited_sheets(data.meta, sheets),
    )
    for payload in data.payloads:
        one = TownshipFile(path, meta=payload.meta, payload=payload, inside=received.unit)
        load(one, f"{path.name}中的{payload.meta.get('township', payload.code)}")
        received.townships.append(one)
    return received


def load(result: TownshipFile, name: str) -> dict | None:
    """Compute one township from its payload; a problem refuses it, naming the file."""
    try:
        by_table = parse_lines(result.payload.lines, name)
        compute(result, by_table)
        return by_table
    except UserError as exc:
        result.problem = exc.message
    except UNREADABLE as exc:
        result.problem = f"“{name}”的数据页内容无法读入（{type(exc).__name__}），该文件未汇总"
    except OSError as exc:
        result.problem = explain_os_error(exc, result.path, "读取")
    finally:
        close_db()
    return None


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
    result.prefecture = place.prefecture
    result.cutoff = stat_year.cutoff_date
    result.rows = {spec.sheet: PROVIDERS[spec.rows](context) for spec in workbook_specs()}
    result.base = base_counts(data)
    result.cadres = {cadre_identity(c.id_number): c.name for c in data.cadres}
