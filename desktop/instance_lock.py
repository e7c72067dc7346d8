"""One writer per data folder: an OS file lock that dies with the process, so a crash or a
power cut never leaves it stuck.

The window holds it while it is open; every command that writes holds it while it runs. A
second writer waits a short, bounded time and is then refused with a message naming the
program that holds the folder (the holder writes its pid, what it is and when it started
into the lock file). Readers (stats, check, backups) take no lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sys
import time
from pathlib import Path

from db.errors import UserError

LOCK_NAME = ".township-desk.lock"
WAIT_ENV = "TOWNSHIP_DESK_LOCK_WAIT"  # seconds a second writer waits (tests make it short)
DEFAULT_WAIT = 10.0
WINDOW = "窗口"
LOCK_OFFSET = 1 << 20  # Windows locks a byte far past the text, which stays readable

_held: dict[Path, list] = {}  # folder → [lock, depth]: a process never waits for itself


def default_wait() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def _try_lock(handle) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def holder_text(path: Path) -> str:
    """Who holds the lock at `path`, as its holder wrote it ("" if unknown)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read(4096).split("\x00")[0].splitlines()
    except OSError:
        return ""
    fields = dict(line.split("=", 1) for line in lines if "=" in line)
    what = fields.get("what", "").strip()
    if not what:
        return ""
    pid = fields.get("pid", "?").strip()
    started = fields.get("started", "").strip()
    return f"{what}（进程 {pid}" + (f"，{started} 开始" if started else "") + "）"


class InstanceLock:
    def __init__(self, data_dir: Path, what: str = WINDOW):
        self.folder = Path(data_dir)
        self.path = self.folder / LOCK_NAME
        self.what = what
        self.handle = None

    def acquire(self, wait: float | None = None) -> None:
        """Take the lock, waiting up to `wait` seconds (default: `TOWNSHIP_DESK_LOCK_WAIT`
        or 10 s), or refuse saying which program holds the folder."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held open)
        except OSError as exc:
            why = {
                errno.EROFS: "文件夹只读",
                errno.EACCES: "没有写入权限",
                errno.EPERM: "没有写入权限",
                errno.ENOSPC: "磁盘空间不足",
            }.get(exc.errno, exc.strerror or str(exc))
            raise UserError(
                f"无法在数据文件夹 {self.folder} 中写入（{why}），数据未作改动。"
            ) from exc
        deadline = time.monotonic() + (default_wait() if wait is None else wait)
        while not _try_lock(handle):
            window_open = self.what == WINDOW and holder_text(self.path).startswith(WINDOW)
            if window_open or time.monotonic() >= deadline:  # a second window: say so now
                handle.close()
                raise UserError(self._refusal())
            time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        started = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        handle.write(f"pid={os.getpid()}\nwhat={self.what}\nstarted={started}\n")
        handle.flush()
        self.handle = handle

    def _refusal(self) -> str:
        holder = holder_text(self.path)
        if self.what == WINDOW and (not holder or holder.startswith(WINDOW)):
            return (
                "本程序已经打开（同一个数据文件夹只能打开一个），请在任务栏中找到已打开的窗口。"
                + (f"正在使用的是：{holder}。" if holder else "")
            )
        who = holder or "另一个程序"
        return (
            f"数据文件夹 {self.folder} 正被{who}使用，同一时间只能有一个程序修改数据。"
            "请等它完成（或关闭窗口）后重试；数据未作改动。"
        )

    def release(self) -> None:
        if self.handle is not None:
            with contextlib.suppress(OSError):
                self.handle.seek(0)
                self.handle.truncate()  # no stale name for the next reader
            self.handle.close()  # closing releases the OS lock
            self.handle = None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


@contextlib.contextmanager
def folder_lock(data_dir: Path, what: str, wait: float | None = None):
    """Hold the data folder's writer lock for the duration (re-entrant in one process)."""
    key = Path(os.path.abspath(data_dir))
    if key in _held:
        _held[key][1] += 1
        try:
            yield _held[key][0]
        finally:
            _held[key][1] -= 1
        return
    lock = InstanceLock(key, what)
    lock.acquire(wait)
    _held[key] = [lock, 1]
    try:
        yield lock
    finally:
        del _held[key]
        lock.release()
