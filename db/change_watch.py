"""Was anything committed to the database since a given moment? Told from the files alone,
without a connection (a restore can still rename over the database on Windows) and without
opening the database or its -shm file (closing a descriptor would drop the POSIX locks this
process's SQLite connections hold on them; the -wal file carries no locks): in WAL mode every
commit writes frames to the -wal file, and a rolled-back transaction normally writes none.
A difference means "maybe changed", never less."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

CHUNK = 1 << 20


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _digest(path: str) -> int | None:
    try:
        with open(path, "rb") as f:
            value = 0
            while chunk := f.read(CHUNK):
                value = zlib.crc32(chunk, value)
            return value
    except OSError:
        return None


def fingerprint(path: Path) -> tuple:
    """(database file, -wal file, -wal content): nothing that a mere reader changes."""
    wal = f"{path}-wal"
    return _stat(str(path)), _stat(wal), _digest(wal)


def differ(before: tuple, after: tuple) -> bool:
    """Whether a commit may lie between two fingerprints. Opening the database only
    creates an empty -wal file: that is no change."""
    (db0, wal0, sum0), (db1, wal1, sum1) = before, after
    if db0 != db1:
        return True
    if wal0 is None and (wal1 is None or wal1[0] == 0):
        return False
    return wal0 != wal1 or sum0 != sum1


class ChangeWatch:
    """`mark()` now; `changed()` later says whether a commit may have happened since."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.mark()

    def mark(self) -> None:
        self.before = fingerprint(self.path)

    def changed(self) -> bool:
        return differ(self.before, fingerprint(self.path))
