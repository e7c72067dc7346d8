"""Numbered schema migrations.

The schema version is SQLite's `PRAGMA user_version`. Each migration runs in one transaction
together with the version bump, and a copy of the database is taken before an existing
database is migrated. A migration is frozen once released: it never imports the models.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import peewee

from db.errors import UserError
from db.migrations import m001_initial, m002_unknown_post_start

MIGRATIONS: list[tuple[int, Callable]] = [
    (1, m001_initial.apply),
    (2, m002_unknown_post_start.apply),
]
LATEST = MIGRATIONS[-1][0]


def schema_version(db) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def migrate(db, path: Path | None, *, target: int | None = None) -> int:
    """Bring the database up to `target` (default: the latest); returns the version it was at."""
    from db.backup import backup_database

    target = LATEST if target is None else target
    version = schema_version(db)
    if version > LATEST:
        raise UserError(
            f"数据库文件由较新版本的程序创建（结构版本 {version}，本程序支持到 {LATEST}），"
            "请升级本程序后再打开；文件未作任何改动。"
        )
    if version == 0:
        tables = db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise UserError("该文件不是本程序的数据库（缺少结构版本），文件未作任何改动。")
    elif version < target and path is not None:
        backup_database(db, path.parent / "backups", f"before-migration-v{version}")
    for number, apply in MIGRATIONS:
        if version < number <= target:
            try:
                with db.atomic():
                    apply(db)
                    db.execute_sql(f"PRAGMA user_version = {number}")
            except peewee.DatabaseError as exc:
                raise UserError(
                    f"数据库结构升级到第 {number} 版时出错（{exc}），已全部撤销，数据未作改动。"
                ) from exc
    return version
