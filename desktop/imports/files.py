"""Opening a workbook to import, refusing anything that is not a sound .xlsx with one clear
Chinese line: .xls, encrypted, damaged, empty, zip bombs and oversized files."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from db.errors import UserError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 150  # unpacked / packed: real workbooks stay far below
MAX_ROWS = 200_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx


def _refuse(path: Path, reason: str) -> UserError:
    return UserError(f"无法导入“{path.name}”：{reason}")


def check_file(path: Path) -> None:
    """Refuse what cannot be a readable .xlsx, before any parser touches it."""
    if not path.exists():
        raise _refuse(path, "找不到这个文件")
    if path.is_dir():
        raise _refuse(path, "这是一个文件夹")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise _refuse(
            path, "这是旧版 Excel（.xls）文件，请在 WPS 或 Excel 中“另存为” .xlsx 后再导入"
        )
    if suffix not in (".xlsx", ".xlsm"):
        raise _refuse(path, "只能导入 Excel 工作簿（.xlsx）")
    size = path.stat().st_size
    if size == 0:
        raise _refuse(path, "文件是空的（0 字节）")
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"文件太大（{size / 1024 / 1024:.0f} MB），超过 50 MB")
    with path.open("rb") as f:
        head = f.read(8)
    if head == OLE2_MAGIC:
        raise _refuse(
            path,
            "文件设置了打开密码，或是 .xls 文件改了扩展名：请在 WPS 或 Excel 中取消密码并另存为 .xlsx",
        )
    if not zipfile.is_zipfile(path):
        raise _refuse(path, "文件已损坏或不是 Excel 工作簿")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            unpacked = sum(e.file_size for e in entries)
    except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError, EOFError) as exc:
        raise _refuse(path, "文件已损坏或不是 Excel 工作簿") from exc
    if "xl/workbook.xml" not in names:
        raise _refuse(path, "这不是 Excel 工作簿（可能是 Word 文档或其他压缩文件）")
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(size, 1):
        raise _refuse(path, "文件解压后异常庞大，可能已损坏或不安全，未导入")


@dataclass
class Sheet:
    """One worksheet as stored: its rows of cell values (as python-calamine reads them),
    whether the workbook hides it, its merged ranges and its part inside the file."""

    name: str
    rows: list[list]
    hidden: bool = False
    merged: list = field(default_factory=list)  # ((top, left), (bottom, right)), 0-based
    part: str | None = None


@dataclass
class Book:
    path: Path
    sheets: dict[str, Sheet]

    def raw(self) -> dict[str, list[list]]:
        return {name: sheet.rows for name, sheet in self.sheets.items()}

    def cells(self, name: str) -> list[list]:
        """The sheet's rows as the clerk sees them: a merged range's value in every cell it
        covers, and error values or formulas saved without a result as CellFault."""
        sheet = self.sheets[name]
        rows = [list(row) for row in sheet.rows]
        if sheet.part:
            for (r, c), fault in cell_faults(self.path, sheet.part).items():
                if r < len(rows) and c < len(rows[r]):
                    rows[r][c] = fault
        for (top, left), (bottom, right) in sheet.merged:
            if top >= len(rows) or left >= len(rows[top]):
                continue
            value = rows[top][left]
            for r in range(top, min(bottom, len(rows) - 1) + 1):
                for c in range(left, min(right, len(rows[r]) - 1) + 1):
                    rows[r][c] = value
        return rows


def read_sheets(path: Path, only: set[str] | None = None) -> dict[str, list[list]]:
    """Every sheet (hidden ones too) as rows of cell values; `only` limits which sheets."""
    return read_workbook(path, only).raw()


def read_workbook(path: Path, only: set[str] | None = None) -> Book:
    """Every sheet (hidden ones too, marked), `only` limiting which."""
    import python_calamine as calamine

    check_file(path)
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        hidden = {
            m.name for m in book.sheets_metadata if m.visible != calamine.SheetVisibleEnum.Visible
        }
        parts = _sheet_parts(path)
        sheets = {}
        for name in book.sheet_names:
            if only is not None and name not in only:
                continue
            sheet = book.get_sheet_by_name(name)
            if sheet.total_height > MAX_ROWS:
                raise _refuse(path, f"工作表“{name}”有 {sheet.total_height} 行，超过 {MAX_ROWS} 行")
            sheets[name] = Sheet(
                name,
                sheet.to_python(skip_empty_area=False),
                name in hidden,
                list(sheet.merged_cell_ranges or []),
                parts.get(name),
            )
        book.close()
    except UserError:
        raise
    except calamine.PasswordError as exc:
        raise _refuse(path, "文件设置了密码，请取消密码后再导入") from exc
    except Exception as exc:  # calamine's parse errors have no common base
        raise _refuse(path, "文件已损坏，无法读取其中的表格") from exc
    if not any(any(not _empty(v) for v in row) for s in sheets.values() for row in s.rows):
        raise _refuse(path, "工作簿中没有任何数据")
    return Book(path, sheets)


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → its XML part (xl/worksheets/sheet1.xml); {} if the file does not say."""
    import posixpath
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ET.fromstring(archive.read("xl/workbook.xml"))
            rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError, zipfile.BadZipFile, OSError):
        return {}
    targets = {
        r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{PACKAGE_REL_NS}}}Relationship")
    }
    parts = {}
    for sheet in workbook.iter(f"{{{MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{REL_NS}}}id"), "")
        if target:
            parts[sheet.get("name")] = (
                target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            )
    return parts


FORMULA_OR_ERROR = re.compile(rb"<(?:\w+:)?f[\s>/]|\bt=[\"']e[\"']")


def cell_faults(path: Path, part: str) -> dict[tuple[int, int], str]:
    """(row, column) → CellFault for each cell of the sheet part that holds an error value or
    a formula saved without its result (python-calamine reads both as an empty cell)."""
    import xml.etree.ElementTree as ET

    from desktop.imports.values import error_cell, formula_cell

    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(part)
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    if not FORMULA_OR_ERROR.search(data):
        return {}
    faults = {}
    row = col = -1
    try:
        for event, elem in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = elem.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "row":
                    row = int(elem.get("r")) - 1 if elem.get("r") else row + 1
                    col = -1
                continue
            if tag != "c":
                if tag == "row":
                    elem.clear()
                continue
            ref = elem.get("r")
            col = _column(ref) if ref else col + 1
            kind = elem.get("t")
            formula = value = None
            for child in elem:
                name = child.tag.rsplit("}", 1)[-1]
                if name == "f":
                    formula = child
                elif name == "v":
                    value = child
            if kind == "e":
                faults[row, col] = error_cell((value.text if value is not None else "") or "#错误")
            elif formula is not None and (
                value is None or (not value.text and kind not in ("str", "s", "inlineStr"))
            ):
                faults[row, col] = formula_cell(formula.text or "")
            elem.clear()
    except (ET.ParseError, ValueError):
        return faults
    return faults


def _column(ref: str) -> int:
    number = 0
    for char in ref:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number - 1


def _empty(value) -> bool:
    return value is None or value == ""
