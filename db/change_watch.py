"""Was anything committed to the database since a given moment? Told from the files alone
(no connection is held, so a restore can still rename over the database on Windows): in WAL
mode every commit bumps the change counter in the -shm header or grows the -wal file, and a
rolled-back transaction leaves both alone. A difference means "maybe changed", never less."""

from __future__ import annotations

import os
from pathlib import Path

SHM_HEADER = 48  # the wal-index header: iVersion, unused, iChange, … (sqlite.org/walformat)


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def fingerprint(path: Path) -> tuple:
    """(database file, -wal file, -shm header): nothing that a mere reader changes."""
    try:
        with open(f"{path}-shm", "rb") as f:
            shm = f.read(SHM_HEADER)
    except OSError:
        shm = None
    return _stat(str(path)), _stat(f"{path}-wal"), shm


def differ(before: tuple, after: tuple) -> bool:
    """Whether a commit may lie between two fingerprints. Opening the database only
    creates an empty -wal and a fresh -shm: that is no change."""
    (db0, wal0, shm0), (db1, wal1, shm1) = before, after
    if db0 != db1:
        return True
    if wal0 != wal1 and not (wal0 is None and wal1 is not None and wal1[0] == 0):
        return True
    return shm0 is not None and shm1 is not None and shm0 != shm1


class ChangeWatch:
    """`mark()` now; `changed()` later says whether a commit may have happened since."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.mark()

    def mark(self) -> None:
        self.before = fingerprint(self.path)

    def changed(self) -> bool:
        return differ(self.before, fingerprint(self.path))
