"""导出: the county's report workbook for one statistical year, written atomically."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from db.backup import safety_backup
from db.connection import township
from db.errors import UserError
from db.models import now
from db.year_data import load_year_data
from db.years import resolve_year
from desktop.checks import Finding, blocking, run_checks
from desktop.files import save_atomically
from desktop.reports.cover import write_cover
from desktop.reports.data_sheet import add_data_sheet
from desktop.reports.sheets import PROVIDERS, ReportContext
from desktop.reports.spec import SheetSpec, workbook_specs
from desktop.reports.writer import SheetHeading, TableWriter


class BlockingFindings(UserError):
    """The export is refused while 强制性 findings remain; they are listed."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        lines = "\n".join(f"  {f.line()}" for f in findings[:50])
        more = f"\n  …… 共 {len(findings)} 条" if len(findings) > 50 else ""
        super().__init__(f"有 {len(findings)} 条强制性审核问题，修正后才能导出：\n{lines}{more}")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    year: int
    checksum: str
    warnings: int
    backup_problem: str = ""


def report_file_name(county: str, township_name: str, year: int, day: dt.date) -> str:
    """`<县>_<乡镇>_<年度>年_党建统计报表_<YYYYMMDD>.xlsx` (REPORTS.md)."""
    return f"{county}_{township_name}_{year}年_党建统计报表_{day:%Y%m%d}.xlsx"


def _quiet(_text: str, _percent: int) -> None:
    """Progress nobody listens to."""


def build_workbook(
    year: int | None = None,
    *,
    preparer: str = "",
    reviewer: str = "",
    phone: str = "",
    exported_at: dt.datetime | None = None,
    specs: tuple[SheetSpec, ...] | None = None,
    progress=None,
    data_sheet: bool = True,
):
    """The report workbook in memory: (workbook, year, checksum, findings).
    `progress(text, percent)`, if given, hears how far it has got. Without `data_sheet`
    (the visible sheets rebuilt to compare) there is no `_data` and the checksum is ''."""
    report = progress or _quiet
    stat_year = resolve_year(year)
    report("正在读取数据……", 5)
    data = load_year_data(stat_year)
    report("正在审核……", 15)
    findings = run_checks(data=data)
    errors = blocking(findings)
    if errors:
        raise BlockingFindings(errors)
    place = township()
    exported_at = exported_at or now()
    heading = SheetHeading(
        township=place.name,
        authority=place.authority,
        cutoff=stat_year.cutoff_date,
        preparer=preparer,
        reviewer=reviewer,
        phone=phone,
        reported=exported_at.date(),
    )
    wb = Workbook()
    cover = wb.active
    cover.title = "封面"
    write_cover(cover, heading, place.county, stat_year.year, exported_at)
    context = ReportContext(data=data, findings=findings)
    sheets = specs or workbook_specs()
    for number, spec in enumerate(sheets):
        report(f"正在生成“{spec.sheet}”……", 25 + 60 * number // len(sheets))
        ws = wb.create_sheet(spec.sheet)
        TableWriter(ws, spec, heading).write(PROVIDERS[spec.rows](context))
    people = {"preparer": preparer, "reviewer": reviewer, "phone": phone}
    digest = ""
    if data_sheet:
        digest = add_data_sheet(
            wb, place.division_code, place.name, stat_year.year, exported_at, people
        )
    return wb, stat_year.year, digest, findings


def export_report(
    target: Path | None = None,
    year: int | None = None,
    *,
    preparer: str = "",
    reviewer: str = "",
    phone: str = "",
    progress=None,
) -> ExportResult:
    """Write the report workbook. `target` is a folder (the file is named as REPORTS.md
    says) or a file path; the default is the current folder. Never leaves a half-written
    file: the workbook is written beside the target and renamed into place."""
    report = progress or _quiet
    wb, year, digest, findings = build_workbook(
        year, preparer=preparer, reviewer=reviewer, phone=phone, progress=report
    )
    place = township()
    target = Path(target) if target else Path.cwd()
    if target.is_dir() or (not target.suffix and not target.exists()):
        target.mkdir(parents=True, exist_ok=True)
        target = target / report_file_name(place.county, place.name, year, dt.date.today())
    elif target.suffix.lower() != ".xlsx":
        raise UserError(f"报表文件名应以 .xlsx 结尾：{target.name}")
    report("正在保存文件……", 88)
    save_atomically(wb, target)
    report("正在备份数据……", 95)
    try:
        backup_problem = ""
        safety_backup("after-export")
    except UserError as exc:  # the report is written; a failed backup must not hide that
        backup_problem = exc.message
    return ExportResult(target, year, digest, len(findings), backup_problem)
