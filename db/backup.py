"""Backups: consistent copies taken with SQLite's online backup API, each verified after it
is written, kept with rotation, listed with what they hold, and restored safely."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from db.errors import DamagedDatabase, UserError
from db.models import Setting, database, now
from db.os_errors import explain_os_error

BACKUP_DIR_SETTING = "backup_dir"
NAME = re.compile(r"^township-(\d{8})-(\d{6})-(.+?)(?:-\d+)?\.sqlite3$")
KEEP_NEWEST, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 10, 7, 4, 12


def backup_folder(db_path: Path) -> Path:
    """Where backups of the database at `db_path` go: the folder the clerk chose (a USB
    stick, say), else `backups/` beside the database."""
    chosen = None
    if database.obj is not None and not database.is_closed():
        found = Setting.get_or_none(Setting.key == BACKUP_DIR_SETTING)
        chosen = found.value if found and found.value else None
    return Path(chosen) if chosen else db_path.parent / "backups"


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; the path is quoted, so 乡镇数据 #2 or a ? in it is fine."""
    return sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True)


def integrity_problem(path: Path) -> str | None:
    """None if the file at `path` passes a full `PRAGMA integrity_check`, else what is
    wrong, in SQLite's words (`db.integrity.problem_in_chinese` says it in Chinese)."""
    try:
        connection = _read_only(path)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if result == [("ok",)] else "; ".join(r[0] for r in result[:5])


def backup_database(db, folder: Path, reason: str) -> Path:
    """Copy the open database into `folder` as a consistent snapshot in a single file,
    verified with `PRAGMA integrity_check`; returns the copy's path."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(explain_os_error(exc, folder, "创建备份文件夹")) from exc
    stamp = now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"township-{stamp}-{reason}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"township-{stamp}-{reason}-{n}.sqlite3"
    return _write_verified(db, target)


def backup_to_file(db, target: Path) -> Path:
    """A verified backup written to exactly `target` (whatever its extension); an existing
    file is never overwritten."""
    target = Path(target)
    if target.exists():
        raise UserError(f"{target} 已经存在，不会覆盖。请换一个文件名，或指定一个文件夹。")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建备份文件夹 {target.parent}：{exc.strerror}") from exc
    return _write_verified(db, target)


def _write_verified(db, target: Path) -> Path:
    folder = target.parent
    partial = target.with_name(f".{target.name}.partial")
    try:
        copy = sqlite3.connect(partial)
        try:
            db.connection().backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            copy.close()
        problem = integrity_problem(partial)
        if problem:
            raise _unverified(db, target, folder, problem)
        os.replace(partial, target)
    except OSError as exc:
        raise UserError(explain_os_error(exc, folder, "写入备份到")) from exc
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "disk" in text or "full" in text:
            reason_text = "磁盘空间不足。请清理磁盘，或换一个有空余空间的位置"
        elif "unable to open" in text or "readonly" in text:
            reason_text = "没有权限在该文件夹中写入，或文件夹已被移走。请换一个位置"
        else:
            reason_text = f"数据库复制出错（{exc}）"
        raise UserError(f"无法写入备份到 {folder}：{reason_text}。") from exc
    finally:
        partial.unlink(missing_ok=True)
    return target


def _unverified(db, target: Path, folder: Path, problem: str) -> UserError:
    """A copy that fails the full check: the database itself is damaged (the copy is page
    by page), or, if the database is sound, the copy was damaged on its way to disk."""
    from db.integrity import damage_report, problem_in_chinese

    source = Path(db.database)
    own = integrity_problem(source)
    if own:
        return DamagedDatabase(
            damage_report(source, own, folder) + "这份新的备份未保存，原有的备份都保留着。"
        )
    return UserError(
        f"备份 {target.name} 写入 {folder} 后校验未通过（{problem_in_chinese(problem)}），"
        "已放弃这份备份，数据库本身完好。请换一个位置（如另一个U盘）备份。"
    )


def safety_backup(reason: str) -> Path | None:
    """Back up the bound database before (or after) a big change; no-op in memory."""
    if database.obj is None or database.database == ":memory:":
        return None
    path = Path(database.database)
    return backup_database(database, backup_folder(path), reason)


@dataclass
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    reason: str
    size: int
    problem: str | None = None
    township: str = ""
    years: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def line(self) -> str:
        what = (
            f"{self.township}，年度 {'、'.join(map(str, self.years)) or '无'}，"
            f"村(社区) {self.counts.get('village', 0)} 个，党组织 {self.counts.get('organization', 0)} 个，"
            f"干部 {self.counts.get('cadre', 0)} 人"
            if self.ok
            else f"已损坏：{self.problem}"
        )
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S}  {self.size / 1024:.0f} KB  {what}  {self.path}"


def _taken_at(path: Path) -> tuple[dt.datetime, str]:
    match = NAME.match(path.name)
    if match:
        return dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S"), match[3]
    return dt.datetime.fromtimestamp(path.stat().st_mtime), "手动"


def describe_backup(path: Path) -> BackupInfo:
    """What a backup holds (township, years, record counts), or why it is unusable."""
    path = Path(path)
    if path.is_dir():  # `backup -o 文件夹` writes inside it: point at what it wrote
        inside = sorted(path.glob("township-*.sqlite3"))
        hint = f"其中最新的备份是 {inside[-1]}，请指定这个文件。" if inside else ""
        raise UserError(f"{path} 是一个文件夹，不是备份文件。{hint}")
    if not path.is_file():
        raise UserError(f"找不到备份文件 {path}。")
    taken_at, reason = _taken_at(path)
    try:
        info = BackupInfo(path, taken_at, reason, path.stat().st_size)
        info.problem = not_a_backup(path)
    except OSError as exc:
        raise UserError(explain_os_error(exc, path, "读取备份文件")) from exc
    if info.problem:
        return info
    raw = integrity_problem(path)
    if raw:
        from db.integrity import problem_in_chinese

        info.problem = problem_in_chinese(raw)
        return info
    try:
        connection = _read_only(path)
        try:
            info.township = connection.execute("SELECT name FROM township").fetchone()[0]
            info.years = [r[0] for r in connection.execute("SELECT year FROM stat_year ORDER BY 1")]
            for table in ("village", "organization", "cadre"):
                info.counts[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[
                    0
                ]
        finally:
            connection.close()
    except (sqlite3.DatabaseError, TypeError):
        info.problem = "不是本程序的数据库"
    return info


SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et and encrypted workbooks
SAVE_AS = "请在 WPS 或 Excel 中“另存为” .xlsx，再用“导入”（township-desk import）导入"


def not_a_backup(path: Path) -> str | None:
    """Why the file is no backup at all (a workbook, a CSV, a WPS file…), with what to do
    instead; None if it is an SQLite file."""
    with open(path, "rb") as f:
        head = f.read(16)
    if head == SQLITE_MAGIC:
        return None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or head.startswith(ZIP_MAGIC):
        return (
            "这是 Excel 工作簿，不是备份文件。本程序导出的报表请用“导入”恢复"
            f"（township-desk import “{path.name}”）"
        )
    if suffix in (".et", ".ett", ".xls", ".csv", ".ods") or head.startswith(OLE2_MAGIC):
        kind = {".et": "WPS 表格", ".ett": "WPS 表格模板", ".csv": "CSV 文本", ".ods": "ODS 表格"}
        return f"这是{kind.get(suffix, '表格')}文件，不是备份文件。{SAVE_AS}"
    if NAME.match(path.name) or suffix == ".sqlite3":
        return "文件开头不是数据库的标志，可能只写了一部分或被其他程序改过"
    return "不是本程序的备份文件（备份是 township-*.sqlite3 文件）"


def list_backups(folder: Path) -> list[BackupInfo]:
    """Every backup in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = [describe_backup(p) for p in folder.glob("township-*.sqlite3")]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def newest_good_backup(folder: Path) -> BackupInfo | None:
    return next((b for b in list_backups(folder) if b.ok), None)


def rotate(folder: Path) -> list[Path]:
    """Keep the newest 10, one a day for 7 days, one a week for 4 weeks and one a month
    for 12 months; delete the other backups. Returns what was deleted."""
    backups = sorted(
        ((p, _taken_at(p)[0]) for p in folder.glob("township-*.sqlite3")),
        key=lambda item: item[1],
        reverse=True,
    )
    keep = {p for p, _ in backups[:KEEP_NEWEST]}
    for key, limit in (
        (lambda t: t.date(), KEEP_DAILY),
        (lambda t: t.isocalendar()[:2], KEEP_WEEKLY),
        (lambda t: (t.year, t.month), KEEP_MONTHLY),
    ):
        seen: list = []
        for path, taken in backups:
            period = key(taken)
            if period not in seen:
                seen.append(period)
                if len(seen) <= limit:
                    keep.add(path)
    deleted = [p for p, _ in backups if p not in keep]
    for path in deleted:
        path.unlink(missing_ok=True)
    return deleted


def daily_backup(db_path: Path) -> Path | None:
    """The day's automatic backup, taken at the first start of the day, then rotation."""
    folder = backup_folder(db_path)
    today = now().strftime("%Y%m%d")
    if folder.is_dir() and any(folder.glob(f"township-{today}-*-daily*.sqlite3")):
        return None
    made = backup_database(database, folder, "daily")
    rotate(folder)
    return made


@contextlib.contextmanager
def _same_page_size(source, target, db_path: Path):
    """`source`, or a copy of it with the target's page size (a database in WAL mode only
    takes pages of its own size), made beside the database and removed afterwards."""
    size = target.execute("PRAGMA page_size").fetchone()[0]
    if source.execute("PRAGMA page_size").fetchone()[0] == size:
        yield source
        return
    scratch = db_path.with_name(f".{db_path.name}.restoring-{os.getpid()}")
    scratch.unlink(missing_ok=True)
    copy = sqlite3.connect(scratch)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.execute(f"PRAGMA page_size = {int(size)}")
        copy.execute("VACUUM")
        yield copy
    finally:
        copy.close()
        scratch.unlink(missing_ok=True)


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Replace the contents of the database at `db_path` with `backup`; the database as it
    was is kept as a backup itself (returned). The backup is verified first.

    The file is never swapped: the backup's pages are copied into the open database in one
    transaction (SQLite's backup API), so a crash leaves the old or the new database, and a
    reader that has the file open sees one or the other. Without a database (or with a
    damaged one, which is kept aside) the copy is built beside and moved into place whole.
    The caller holds the data folder's lock."""
    from db.connection import close_db, init_db
    from db.fresh import build_database, is_empty_database

    backup, db_path = Path(backup), Path(db_path)
    info = describe_backup(backup)
    if not info.ok:
        raise UserError(f"备份 {backup.name} 不能用于恢复：{info.problem}。")
    kept = None
    sound = False
    if db_path.exists() and not is_empty_database(db_path):
        try:
            init_db(db_path)
            kept = safety_backup("before-restore")
            sound = True
        except UserError:
            close_db()
            problem = (integrity_problem(db_path) or "").lower()
            damaged = "malformed" in problem or "not a database" in problem
            other = ("locked", "unable to open", "readonly", "read-only", "full", "i/o")
            if not problem or (not damaged and any(w in problem for w in other)):
                raise  # locked, unreadable, read-only, full disk: nothing was changed
        close_db()
    if not sound and db_path.exists() and not is_empty_database(db_path):
        aside = db_path.with_name(f"township-damaged-{now():%Y%m%d-%H%M%S}.sqlite3")
        for suffix in ("", "-wal", "-shm"):  # a damaged file is kept, never overwritten
            if Path(f"{db_path}{suffix}").exists():
                os.replace(f"{db_path}{suffix}", f"{aside}{suffix}")
    try:
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            if sound:
                target = sqlite3.connect(db_path, timeout=5)
                try:
                    target.execute("PRAGMA journal_mode = WAL")
                    target.execute("PRAGMA synchronous = FULL")
                    with _same_page_size(source, target, db_path) as pages:
                        pages.backup(target)  # one transaction: the old or the new, whole
                finally:
                    target.close()
            else:

                def copy() -> None:
                    source.backup(database.connection())

                build_database(db_path, copy)
        finally:
            source.close()
    except OSError as exc:
        raise UserError(
            f"恢复失败：{explain_os_error(exc)}原数据库未被替换，数据未作改动。"
        ) from exc
    except sqlite3.Error as exc:
        full = "full" in str(exc).lower()
        reason = "磁盘空间不足" if full else f"复制备份 {backup} 时出错（{exc}）"
        raise UserError(f"恢复失败：{reason}。原数据库未被替换，数据未作改动。") from exc
    init_db(db_path)
    return kept
