"""Opening a workbook to import, refusing anything that is not a sound .xlsx with one clear
Chinese line: .xls, encrypted, damaged, empty, zip bombs and oversized files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from db.errors import UserError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 150  # unpacked / packed: real workbooks stay far below
MAX_ROWS = 200_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx


def _refuse(path: Path, reason: str) -> UserError:
    return UserError(f"无法导入“{path.name}”：{reason}")


SAVE_AS = "请在 WPS 或 Excel 中打开，“另存为” Excel 工作簿（.xlsx）后再导入"
OTHER_KINDS = {
    ".et": " WPS 表格（.et）文件",
    ".ett": " WPS 表格模板（.ett）文件",
    ".csv": " CSV 文本文件",
    ".txt": "文本文件",
    ".ods": " ODS 表格文件",
    ".numbers": " Numbers 表格文件",
}


def check_file(path: Path) -> None:
    """Refuse what cannot be a readable .xlsx, before any parser touches it."""
    try:
        _check(path)
    except OSError as exc:  # no permission, a USB stick pulled out mid-way…
        from db.os_errors import explain_os_error

        raise UserError(explain_os_error(exc, path, "读取要导入的文件")) from exc


def _check(path: Path) -> None:
    if not path.exists():
        raise _refuse(path, "找不到这个文件")
    if path.is_dir():
        raise _refuse(path, "这是一个文件夹")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise _refuse(path, f"这是旧版 Excel（.xls）文件，{SAVE_AS}")
    if suffix in OTHER_KINDS:
        raise _refuse(path, f"这是{OTHER_KINDS[suffix]}，{SAVE_AS}")
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


def read_sheets(path: Path, only: set[str] | None = None) -> dict[str, list[list]]:
    """Every sheet (hidden ones too) as rows of cell values; `only` limits which sheets."""
    import python_calamine as calamine

    check_file(path)
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        sheets = {}
        for name in book.sheet_names:
            if only is not None and name not in only:
                continue
            sheet = book.get_sheet_by_name(name)
            if sheet.total_height > MAX_ROWS:
                raise _refuse(path, f"工作表“{name}”有 {sheet.total_height} 行，超过 {MAX_ROWS} 行")
            sheets[name] = sheet.to_python(skip_empty_area=False)
        book.close()
    except UserError:
        raise
    except calamine.PasswordError as exc:
        raise _refuse(path, "文件设置了密码，请取消密码后再导入") from exc
    except Exception as exc:  # calamine's parse errors have no common base
        raise _refuse(path, "文件已损坏，无法读取其中的表格") from exc
    if not any(any(not _empty(v) for v in row) for rows in sheets.values() for row in rows):
        raise _refuse(path, "工作簿中没有任何数据")
    return sheets


def _empty(value) -> bool:
    return value is None or value == ""
