"""Where the township's database lives, and opening it safely."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import peewee

from db.errors import DamagedDatabase, UserError
from db.migrations import migrate
from db.models import Township, database
from db.os_errors import explain_os_error

DB_FILENAME = "township.sqlite3"
DATA_DIR_ENV = "TOWNSHIP_DESK_DATA_DIR"

# synchronous=FULL: township offices lose power; a committed change must be on disk.
PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": 2,
    "busy_timeout": 5000,
}


POINTER_FILENAME = "data-folder.txt"  # in the home folder: where the data was moved to


def home_data_dir() -> Path:
    """`TOWNSHIP_DESK_DATA_DIR`, else the platform's per-user data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("TownshipDesk", appauthor=False))


def default_data_dir() -> Path:
    """The home folder, or the folder the data was moved to (设置 → 数据文件夹)."""
    home = home_data_dir()
    pointer = home / POINTER_FILENAME
    if pointer.is_file():
        moved = pointer.read_text(encoding="utf-8").strip()
        if moved:
            return Path(moved)  # even when missing: a USB disk not plugged in is no new start
    return home


def database_path(data_dir: Path | None = None) -> Path:
    return (data_dir or default_data_dir()) / DB_FILENAME


def init_db(path: Path | str, *, create: bool = False) -> peewee.SqliteDatabase:
    """Open (and migrate) the database at `path` and bind the models to it.

    Refuses with a `UserError` when the file is missing (unless `create`), damaged, locked,
    not a Township Desk database, or from a newer program; the file is never changed then.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise UserError(
                f"数据文件夹 {path.parent} 中还没有乡镇数据库，请先用 init 建立或用 demo 生成示例。"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(explain_os_error(exc, path.parent, "创建数据文件夹")) from exc
    elif path.is_dir():
        raise UserError(f"{path} 是一个文件夹，不是数据库文件。")
    else:
        _refuse_unreadable(path)
    close_db()
    existed = path.exists() and path.stat().st_size > 0
    db = peewee.SqliteDatabase(str(path), pragmas=PRAGMAS)
    try:
        db.connect()
        if existed:
            problem = db.execute_sql("PRAGMA quick_check").fetchone()[0]
            if problem != "ok":
                raise DamagedDatabase(_damaged(path, problem))
        migrate(db, path)
    except UserError:
        db.close()
        raise
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        raise UserError(explain_database_error(exc, path)) from exc
    database.initialize(db)
    return db


def _refuse_unreadable(path: Path) -> None:
    """SQLite says only "unable to open database file" for a file the clerk may not read
    or write; say why, in Chinese, naming the file. Asked with access(), never by opening
    and closing the file: closing a descriptor would drop the POSIX locks that other
    connections of this process hold on it."""
    effective = {"effective_ids": True} if os.access in os.supports_effective_ids else {}
    if os.access(path, os.R_OK | os.W_OK, **effective):
        return
    code = errno.EACCES
    if hasattr(os, "statvfs") and os.statvfs(path).f_flag & os.ST_RDONLY:
        code = errno.EROFS
    refused = OSError(code, os.strerror(code), str(path))
    raise UserError(f"{explain_os_error(refused, path, '打开数据库文件')}文件未作任何改动。")


def _damaged(path: Path, problem: str | None = None, backups: Path | None = None) -> str:
    from db.backup import newest_good_backup
    from db.integrity import problem_in_chinese

    good = newest_good_backup(backups or path.parent / "backups")
    offer = (
        f"最新的完好备份是 {good.path}（{good.taken_at:%Y-%m-%d %H:%M}），"
        f'可用 township-desk restore "{good.path}" 恢复。'
        if good
        else "没有找到完好的备份，请联系县里用报表恢复（township-desk import 报表文件）。"
    )
    what = f"已损坏（{problem_in_chinese(problem)}）" if problem else "已损坏或不是本程序的数据库"
    return f"数据库文件 {path} {what}，文件未作任何改动。{offer}"


def explain_database_error(exc: Exception, path: Path | None = None) -> str:
    """A database error in Chinese, saying what the clerk can do. The errors it was raised
    from count too: SQLite rolls back by itself on a full disk, and the failed second
    rollback would hide why."""
    opening = path is not None
    path = path or (Path(database.database) if database.obj is not None else Path("数据库"))
    chain, seen = [], exc
    while seen is not None and len(chain) < 5:
        chain.append(str(seen).lower())
        seen = seen.__cause__ or seen.__context__
    text = " | ".join(chain)
    if "locked" in text or "busy" in text:
        return f"数据库文件 {path} 正被其他程序使用，请关闭后重试。"
    if "readonly" in text or "read-only" in text:
        return f"数据库文件 {path} 所在位置只读，无法写入。"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return _damaged(path)
    if "unable to open" in text:
        return (
            f"无法打开数据库文件 {path}：没有权限在文件夹 {path.parent} 中写入，或文件夹已被移走。"
            "请检查文件夹的权限，或把数据放到自己的文件夹中。"
        )
    if ("disk" in text and "full" in text) or "too large" in text or "disk i/o" in text:
        return f"磁盘已满或无法写入，数据库文件 {path} 的这次修改已全部撤销，此前的数据完好。"
    if opening:
        return f"无法打开数据库文件 {path}：{exc}"
    return f"数据库操作失败（{exc}），这次修改已全部撤销，此前的数据完好。"


def close_db() -> None:
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()


def township() -> Township:
    """The township this database belongs to."""
    found = Township.get_or_none(Township.id == 1)
    if found is None:
        raise UserError("数据库中还没有乡镇信息，请先用 init 建立。")
    return found


def open_memory_database() -> peewee.SqliteDatabase:
    """A new, empty in-memory database with the current schema, bound to the models
    (the county merge restores each township's `_data` into one)."""
    close_db()
    db = peewee.SqliteDatabase(":memory:", pragmas={"foreign_keys": 1})
    db.connect()
    migrate(db, None)
    database.initialize(db)
    return db
