"""Moving the data folder (to drive D: rather than C:, say): the database is copied as a
verified snapshot, its backups go with it, and a pointer in the program's home folder says
where the data now lives. The old file is renamed, never left to be opened by mistake."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from db.backup import backup_database
from db.connection import DB_FILENAME, POINTER_FILENAME, close_db, home_data_dir
from db.errors import UserError
from db.models import database, now
from db.os_errors import explain_os_error


def move_data_folder(db_path: Path, target: Path) -> Path:
    """Move the open database at `db_path` into the folder `target`; returns the new path.
    Refuses (changing nothing) if `target` already holds a township database."""
    target = Path(target).expanduser().resolve()
    current = db_path.parent.resolve()
    if target == current:
        raise UserError("新的数据文件夹与当前的相同。")
    if (target / DB_FILENAME).exists():
        raise UserError(f"{target} 中已经有一个乡镇数据库，请选择空的文件夹。")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(explain_os_error(exc, target, "创建数据文件夹")) from exc
    copy = backup_database(database, target, "moved")  # verified snapshot
    new_path = target / DB_FILENAME
    os.replace(copy, new_path)
    old_backups = current / "backups"
    if old_backups.is_dir():
        shutil.copytree(old_backups, target / "backups", dirs_exist_ok=True)
    pointer = home_data_dir() / POINTER_FILENAME
    pointer.parent.mkdir(parents=True, exist_ok=True)
    partial = pointer.with_suffix(".partial")
    partial.write_text(str(target), encoding="utf-8")
    os.replace(partial, pointer)
    close_db()
    stamp = now().strftime("%Y%m%d-%H%M%S")
    db_path.replace(db_path.with_name(f"township-moved-{stamp}.sqlite3"))
    return new_path
