"""Writing files so that a crash, a full disk or a file open in WPS never costs data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl import Workbook

from db.errors import UserError


def save_atomically(wb: Workbook, target: Path) -> None:
    folder = target.parent
    if not folder.exists():
        raise UserError(f"文件夹 {folder} 不存在。")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".导出中-", suffix=".xlsx", dir=folder)
    except OSError as exc:
        raise UserError(f"无法在 {folder} 中写入文件：{exc.strerror}") from exc
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
            f"无法写入 {target.name}：文件可能正在 WPS 或 Excel 中打开，请关闭后重试。"
        ) from exc
    except OSError as exc:
        reason = "磁盘空间不足" if exc.errno in (27, 28) else (exc.strerror or str(exc))
        raise UserError(f"无法写入报表 {target}：{reason}。原有文件未受影响。") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
