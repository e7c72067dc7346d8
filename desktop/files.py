"""Writing files so that a crash, a full disk or a file open in WPS never costs data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl import Workbook

from db.errors import UserError
from db.os_errors import explain_os_error


def save_atomically(wb: Workbook, target: Path) -> None:
    folder = target.parent
    if not folder.exists():
        raise UserError(f"文件夹 {folder} 不存在。")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".导出中-", suffix=".xlsx", dir=folder)
    except OSError as exc:
        raise UserError(explain_os_error(exc, folder, "写入文件夹")) from exc
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # an ordinary file, not mkstemp's private one
    try:
        wb.save(temporary)
        with open(temporary, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(temporary, target)
    except PermissionError as exc:
        raise UserError(
            f"无法写入 {target}：文件可能正在 WPS 或 Excel 中打开，或没有权限读写该文件；"
            "请关闭后重试。原有文件未受影响。"
        ) from exc
    except OSError as exc:
        raise UserError(f"{explain_os_error(exc, target, '写入')}原有文件未受影响。") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
