"""One program per data folder: an OS file lock that dies with the process, so a crash or a
power cut never leaves it stuck."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from db.errors import UserError

LOCK_NAME = ".township-desk.lock"


class InstanceLock:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK_NAME
        self.handle = None

    def acquire(self) -> None:
        """Take the lock or refuse: the program is already open on this data folder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 (held open: the lock lives with it)
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise UserError(
                "本程序已经打开（同一个数据文件夹只能打开一个），请在任务栏中找到已打开的窗口。"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()  # closing releases the OS lock
            self.handle = None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
