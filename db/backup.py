"""Copies of the database taken with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.models import now


def backup_database(db, folder: Path, reason: str) -> Path:
    """Copy the open database into `folder` as a consistent snapshot; returns the copy's path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"township-{stamp}-{reason}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"township-{stamp}-{reason}-{n}.sqlite3"
    copy = sqlite3.connect(target)
    try:
        db.connection().backup(copy)
    finally:
        copy.close()
    return target
