"""What a workbook's `_data` carries up the hierarchy, read and written.

A township's `_data` (desktop.reports.data_sheet) holds its metadata and its rows. A merged
workbook (county, 州(市), 省) holds, for every township merged, that township's payload kept
whole — its own metadata, checksum and rows, exactly as the township exported them, so a
signature over them can be checked at any level — followed by one provenance entry per level
that merged it. It also carries the 汇总情况 and 汇总问题 rows of its level, so the level above
can still name the townships a county received but did not use.

Layout (column A key, column B value), after the merged workbook's own metadata and `rows`:
    township   <code>                 a township's block begins
    meta       {json}                 its metadata, every key as exported
    provenance {json}                 one per level that merged it, lowest first
    lines      <row lines joined by \\n> as many rows as needed (cells hold ≤ 32,767 characters)
    file       {json}                 a 汇总情况 row of this level
    issue      {json}                 a 汇总问题 row of this level
The merged checksum covers every row after `rows`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from db.dump import DUMP_TABLES, checksum
from db.errors import UserError
from db.migrations import LATEST
from desktop.reports.data_sheet import FORMAT, read_data_sheet

MERGED_FORMAT = "township-desk-merged/1"
CHUNK = 30_000  # characters of row lines per cell
LEVELS = ("township", "county", "prefecture", "province")


@dataclass
class Payload:
    """One township's data as it travels: its own metadata and rows, and where it has been."""

    meta: dict[str, str]
    lines: list[str]
    provenance: list[dict] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.meta.get("township_code", "")


@dataclass
class DataSheet:
    """A `_data` sheet read: a township's (one payload) or a merged workbook's (many)."""

    meta: dict[str, str]
    level: str  # township, county, prefecture, province
    payloads: list[Payload]
    files: list[dict] = field(default_factory=list)  # 汇总情况 rows carried from below
    issues: list[dict] = field(default_factory=list)  # 汇总问题 rows carried from below


def verify_township(meta: dict[str, str], lines: list[str], name: str) -> None:
    """Refuse a township payload that is foreign, damaged or too new, naming the file."""
    if meta.get("format") != FORMAT:
        raise UserError(f"“{name}”的数据页格式无法识别，该文件未汇总")
    if checksum(lines) != meta.get("sha256"):
        raise UserError(f"“{name}”的数据页校验失败（导出后被改动或文件损坏），该文件未汇总")
    version = meta.get("schema_version", "")
    if not version.isdigit():
        raise UserError(f"“{name}”的数据页没有有效的版本号，该文件未汇总")
    if int(version) > LATEST:
        raise UserError(f"“{name}”由较新版本的程序导出，请先升级本程序")


def parse_lines(lines: list[str], name: str) -> dict[str, list[dict]]:
    """Row lines to rows by table; a line that is not a record refuses the file, naming it."""
    by_table: dict[str, list[dict]] = {table: [] for table in DUMP_TABLES}
    for number, line in enumerate(lines, 1):
        try:
            table, row = json.loads(line)
        except (ValueError, TypeError):
            table, row = None, None
        if table not in by_table or not isinstance(row, dict):
            shown = line if len(line) <= 40 else line[:40] + "……"
            raise UserError(
                f"“{name}”的数据页第 {number} 条记录无法读取（“{shown}”），该文件未汇总"
            )
        by_table[table].append(row)
    return by_table


def read_data(rows: list[list], name: str) -> DataSheet:
    """A `_data` sheet's cell rows, township or merged; refuses a damaged one, naming it."""
    meta, lines = read_data_sheet(rows)
    if meta.get("format") == MERGED_FORMAT:
        return _read_merged(rows, meta, name)
    verify_township(meta, lines, name)
    return DataSheet(meta, "township", [Payload(meta, lines)])


def _body(rows: list[list]) -> list[tuple[str, str]]:
    body: list[tuple[str, str]] = []
    started = False
    for row in rows:
        key = "" if not row or row[0] is None else str(row[0])
        value = "" if len(row) < 2 or row[1] is None else str(row[1])
        if started:
            if key or value:
                body.append((key, value))
        elif key == "rows":
            started = True
    return body


def body_checksum(body: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for key, value in body:
        digest.update(key.encode("utf-8"))
        digest.update(b"\x1f")
        digest.update(value.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _read_merged(rows: list[list], meta: dict[str, str], name: str) -> DataSheet:
    level = meta.get("level", "")
    if level not in LEVELS[1:]:
        raise UserError(f"“{name}”的数据页汇总层级“{level}”无法识别，该文件未汇总")
    body = _body(rows)
    if body_checksum(body) != meta.get("sha256"):
        raise UserError(f"“{name}”的数据页校验失败（汇总后被改动或文件损坏），该文件未汇总")
    sheet = DataSheet(meta, level, [])
    current: Payload | None = None
    chunks: list[str] = []

    def close() -> None:
        if current is not None:
            current.lines = [line for chunk in chunks for line in chunk.split("\n") if line]
            verify_township(
                current.meta, current.lines, f"{name}中的{current.meta.get('township')}"
            )
            sheet.payloads.append(current)

    for number, (key, value) in enumerate(body, 1):
        try:
            if key == "township":
                close()
                current, chunks = Payload({}, []), []
            elif key == "meta" and current is not None:
                current.meta = {str(k): str(v) for k, v in json.loads(value).items()}
            elif key == "provenance" and current is not None:
                current.provenance.append(dict(json.loads(value)))
            elif key == "lines" and current is not None:
                chunks.append(value)
            elif key == "file":
                sheet.files.append(dict(json.loads(value)))
            elif key == "issue":
                sheet.issues.append(dict(json.loads(value)))
            else:
                raise ValueError(key)
        except (ValueError, TypeError, AttributeError):
            raise UserError(
                f"“{name}”的数据页正文第 {number} 行（“{key}”）无法读取，该文件未汇总"
            ) from None
    close()
    return sheet


def merged_body(
    payloads: list[Payload], files: list[dict], issues: list[dict]
) -> list[tuple[str, str]]:
    """The rows after `rows` in a merged workbook's `_data`."""

    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    body: list[tuple[str, str]] = []
    for payload in payloads:
        body.append(("township", payload.code))
        body.append(("meta", dump(payload.meta)))
        body.extend(("provenance", dump(p)) for p in payload.provenance)
        chunk: list[str] = []
        size = 0
        for line in payload.lines:
            if chunk and size + len(line) + 1 > CHUNK:
                body.append(("lines", "\n".join(chunk)))
                chunk, size = [], 0
            chunk.append(line)
            size += len(line) + 1
        if chunk:
            body.append(("lines", "\n".join(chunk)))
    body.extend(("file", dump(row)) for row in files)
    body.extend(("issue", dump(issue)) for issue in issues)
    return body
