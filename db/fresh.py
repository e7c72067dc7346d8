"""New databases appear whole: built beside their final place under a temporary name and
moved there only when complete, so a crash leaves either nothing or everything."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from db.errors import UserError

BUILDING = ".building-"  # `.township.sqlite3.building-<pid>`: a database not yet complete


def is_empty_database(path: Path) -> bool:
    """True if there is no township database at `path`: no file, an empty file, or a
    database with tables but no township (left by a crash in an earlier version). A file
    that cannot be read is not empty: it is never replaced."""
    path = Path(path)
    if not path.exists():
        return True
    if path.is_dir():
        return False
    if path.stat().st_size == 0 and not Path(f"{path}-wal").exists():
        return True
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
            if "township" not in tables:
                return not tables
            return connection.execute("SELECT count(*) FROM township").fetchone()[0] == 0
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # folders cannot be synced on every system
    finally:
        os.close(fd)


def remove_leftovers(path: Path) -> None:
    """Remove half-built databases a killed process left beside `path`."""
    for leftover in path.parent.glob(f".{path.name}{BUILDING}*"):
        leftover.unlink(missing_ok=True)


def build_database(path: Path, build):
    """Build a new database for `path` with `build()` (called with the temporary database
    open and bound) and move it into place only when complete; then open it there.
    Refuses if a township database is already at `path`. Returns what `build` returned.
    The caller holds the data folder's lock."""
    from db.connection import close_db, init_db

    path = Path(path)
    if not is_empty_database(path):
        raise UserError(f"{path} 已经存在乡镇数据库，不会覆盖。请换一个数据文件夹。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建数据文件夹 {path.parent}：{exc.strerror}") from exc
    remove_leftovers(path)
    temporary = path.with_name(f".{path.name}{BUILDING}{os.getpid()}")
    try:
        init_db(temporary, create=True)
        result = build()
        close_db()  # the last connection: the WAL is checkpointed into the file and removed
        for suffix in ("-wal", "-shm"):
            if Path(f"{temporary}{suffix}").exists():
                connection = sqlite3.connect(temporary)
                try:
                    connection.execute("PRAGMA journal_mode = DELETE")
                finally:
                    connection.close()
                break
        _fsync(temporary)
        if path.exists():  # an empty leftover of an earlier version (its journal counted)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):  # a journal without its database would be replayed
            stray = Path(f"{path}{suffix}")
            if stray.exists():
                os.replace(stray, path.with_name(f".{stray.name}.orphan-{os.getpid()}"))
        os.replace(temporary, path)
        _fsync(path.parent)
    except BaseException:
        close_db()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
        raise
    init_db(path)
    return result
