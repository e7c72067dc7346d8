"""The county's merged workbook: the same sheets with a 乡镇 column, a row per township with
its villages beneath, 表7 recomputed for the county, and 汇总情况 / 汇总问题."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from db.errors import UserError
from db.models import now
from db.os_errors import explain_os_error
from db.statistics import figures_from, sum_base_counts
from desktop import APP_NAME, __version__
from desktop.files import save_atomically
from desktop.merge.township_file import TownshipFile, read_township_file
from desktop.reports.cover import write_cover
from desktop.reports.spec import Column, SheetSpec, parse_spec, workbook_specs
from desktop.reports.writer import SheetHeading, TableWriter
from resources import load_json

TOWNSHIP_COLUMN = Column(("乡镇",), "township", "text", 10)


@dataclass
class MergeResult:
    path: Path
    year: int
    files: list[TownshipFile]
    issues: list[dict] = field(default_factory=list)  # kind, township, message
    file_rows: list[dict] = field(default_factory=list)  # the 汇总情况 sheet's rows

    @property
    def merged(self) -> list[TownshipFile]:
        return [f for f in self.files if f.usable]


def collect(paths: list[Path]) -> list[Path]:
    """The .xlsx files named, and those inside any folder named."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.xlsx") if not p.name.startswith("~$")))
        else:
            found.append(path)
    if not found:
        named = "、".join(str(p) for p in paths)
        raise UserError(f"在 {named} 中没有找到要汇总的乡镇报表（.xlsx）。")
    return found


def decide(files: list[TownshipFile], year: int | None) -> int:
    """Which year is merged, and which files take part: a resend replaces the earlier
    export of the same township; files of another year are left out."""
    years = Counter(f.year for f in files if not f.problem and f.year)
    if year is None:
        if not years:
            raise UserError(
                "没有一个乡镇报表可以汇总："
                + "；".join(f"{f.path.name}：{f.problem}" for f in files)
            )
        year = years.most_common(1)[0][0]
    for f in files:
        if not f.problem and f.year != year:
            f.problem = f"统计年度为 {f.year}，与汇总年度 {year} 不符"
    latest: dict[str, TownshipFile] = {}
    for f in sorted((f for f in files if not f.problem), key=lambda f: f.exported_at):
        if f.code in latest:
            latest[f.code].superseded_by = f.path
        latest[f.code] = f
    return year


def find_issues(result: MergeResult, expected: list[str]) -> None:
    issues = result.issues
    for f in result.files:
        name = f.township or f.path.name
        if f.problem:
            issues.append(
                {"kind": "未汇总", "township": name, "message": f"{f.path.name}：{f.problem}"}
            )
        elif f.superseded_by is not None:
            issues.append(
                {
                    "kind": "重复报送",
                    "township": name,
                    "message": f"{f.path.name}（导出于 {f.exported_at}）已被较新的 "
                    f"{f.superseded_by.name} 替代",
                }
            )
        for line in f.altered if f.usable else []:
            issues.append({"kind": "导出后改动", "township": name, "message": line})
    owners: dict[str, list[tuple[str, str]]] = {}
    for f in result.merged:
        for number, person in f.cadres.items():
            owners.setdefault(number, []).append((f.township, person))
    for number, holders in sorted(owners.items()):
        if len(holders) > 1:
            who = "、".join(f"{t}（{p}）" for t, p in holders)
            issues.append(
                {
                    "kind": "身份证号重复",
                    "township": "、".join(t for t, _ in holders),
                    "message": f"身份证号 {number} 同时出现在：{who}",
                }
            )
    received = {f.township for f in result.merged}
    for name in expected:
        if name not in received:
            issues.append({"kind": "缺报", "township": name, "message": f"未收到{name}的报表"})


def county_spec(spec: SheetSpec) -> SheetSpec:
    """The township's sheet spec with a 乡镇 column in front."""
    if spec.kind == "indicators":
        return spec
    return replace(spec, columns=(TOWNSHIP_COLUMN, *spec.columns))


def county_rows(spec: SheetSpec, files: list[TownshipFile]) -> list[dict]:
    rows: list[dict] = []
    if spec.kind == "statistical":
        for f in files:
            own = f.rows[spec.sheet]
            subtotal = {"township": f.township, "_part": True, "_bold": True}
            for column in spec.columns:
                if column.total == "sum":
                    start = Decimal("0.00") if column.type == "money" else 0
                    subtotal[column.source] = sum((r.get(column.source) or 0 for r in own), start)
            first_text = next(c.source for c in spec.columns if c.is_text)
            subtotal[first_text] = "小计"
            rows.append(subtotal)
            rows.extend({**r, "township": f.township} for r in own)
        return rows
    serial = 0
    for f in files:
        for r in f.rows[spec.sheet]:
            serial += 1
            rows.append({**r, "township": f.township, "serial": serial})
    return rows


def file_rows(result: MergeResult, expected: list[str]) -> list[dict]:
    duplicated = Counter()
    for issue in result.issues:
        if issue["kind"] == "身份证号重复":
            for name in issue["township"].split("、"):
                duplicated[name] += 1
    rows = []
    for f in result.files:
        altered = len(f.altered) if f.usable else 0
        if f.problem:
            status, note = "未汇总", f.problem
        elif f.superseded_by is not None:
            status, note = "已被替代", f"已采用较新的报送：{f.superseded_by.name}"
        else:
            status = "已汇总"
            notes = []
            if altered:
                notes.append(f"导出后有 {altered} 处改动（已按数据页汇总，见汇总问题）")
            if duplicated[f.township]:
                notes.append(f"{duplicated[f.township]} 个身份证号与其他乡镇重复")
            note = "；".join(notes)
        rows.append(
            {
                "file": f.path.name,
                "township": f.township or f.meta.get("township", ""),
                "code": f.code,
                "year": str(f.year or ""),
                "exported_at": f.exported_at.replace("T", " ")[:16],
                "version": f.meta.get("program_version", ""),
                "checksum": "不完整"
                if f.problem and not f.meta
                else ("已改动" if altered else "完整"),
                "status": status,
                "note": note,
            }
        )
    received = {f.township for f in result.merged}
    for name in expected:
        if name not in received:
            rows.append(
                {
                    "file": "（未收到）",
                    "township": name,
                    "status": "缺报",
                    "note": "未收到该乡镇的报表",
                }
            )
    for serial, row in enumerate(rows, 1):
        row["serial"] = serial
    return rows


def merge_workbooks(
    paths: list[Path],
    target: Path,
    *,
    year: int | None = None,
    expected: list[str] | None = None,
    preparer: str = "",
    reviewer: str = "",
    phone: str = "",
) -> MergeResult:
    """Merge township workbooks into the county's; writes `target` atomically."""
    expected = expected or []
    files = [read_township_file(p) for p in collect(paths)]
    year = decide(files, year)
    result = MergeResult(target, year, files)
    find_issues(result, expected)
    merged = sorted(result.merged, key=lambda f: f.code)
    if not merged:
        raise UserError(
            "没有一个乡镇报表可以汇总：" + "；".join(f"{f.path.name}：{f.problem}" for f in files)
        )
    county = Counter(f.county for f in merged).most_common(1)[0][0]
    authority = Counter(f.authority for f in merged).most_common(1)[0][0]
    exported_at = now()
    heading = SheetHeading(
        township=county,
        authority=authority,
        cutoff=merged[0].cutoff or dt.date(year, 12, 31),
        preparer=preparer,
        reviewer=reviewer,
        phone=phone,
        reported=exported_at.date(),
    )
    wb = Workbook()
    cover = wb.active
    cover.title = "封面"
    write_cover(cover, heading, county, year, exported_at)
    cover.cell(1, 1).value = f"{county}{year}年度党建统计报表（汇总）"
    for spec in workbook_specs():
        ws = wb.create_sheet(spec.sheet)
        if spec.kind == "indicators":
            figures = figures_from(sum_base_counts([f.base for f in merged]))
            rows = [{"label": label, "value": value} for label, value in figures]
            TableWriter(ws, spec, heading).write(rows)
        else:
            TableWriter(ws, county_spec(spec), heading).write(county_rows(spec, merged))
    files_spec = parse_spec(load_json("reports", "merge_files.json"))
    issues_spec = parse_spec(load_json("reports", "merge_issues.json"))
    result.file_rows = file_rows(result, expected)
    TableWriter(wb.create_sheet(files_spec.sheet), files_spec, heading).write(result.file_rows)
    TableWriter(wb.create_sheet(issues_spec.sheet), issues_spec, heading).write(
        [{**issue, "serial": n} for n, issue in enumerate(result.issues, 1)]
    )
    wb.properties.creator = f"{APP_NAME} {__version__}"
    if target.is_dir() or (not target.suffix and not target.exists()):
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(explain_os_error(exc, target, "建立汇总表的文件夹")) from exc
        target = target / f"{county}_{year}年_党建统计报表_汇总_{exported_at:%Y%m%d}.xlsx"
    result.path = target
    save_atomically(wb, target)
    return result
