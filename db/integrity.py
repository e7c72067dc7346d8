"""The full integrity check of the township's database, and what SQLite reports in Chinese.

`PRAGMA quick_check` at every start finds torn pages but not an index that disagrees with
its table; the full check does, and runs where it costs the clerk no waiting (the window's
background, the daily backup, each command of the command line)."""

from __future__ import annotations

import re
from pathlib import Path

from db.errors import DamagedDatabase

PATTERNS = (
    (r"row (\d+) missing from index (\S+)", r"索引 \2 缺少第 \1 行"),
    (r"wrong # of entries in index (\S+)", r"索引 \1 的条目数与数据不符"),
    (r"non-unique entry in index (\S+)", r"索引 \1 中有重复的条目"),
    (r"(?:\*\*\* in database \w+ \*\*\*\s*)?Page (\d+)(?::| is) never used.*", r"第 \1 页未被使用"),
    (r"(?:\*\*\* in database \w+ \*\*\*\s*)?Tree (\d+) page (\d+).*", r"第 \2 页的结构已损坏"),
    (r"(?:\*\*\* in database \w+ \*\*\*\s*)?(?:On|Freelist).*", "空闲页列表已损坏"),
    (r"NULL value in (\S+)", r"\1 中有不应为空的值"),
    (r"CHECK constraint failed in (\S+)", r"\1 中有不合规定的值"),
    (r"file is not a database", "不是数据库文件"),
    (r"database disk image is malformed", "文件结构已损坏"),
    (r"(?:file is )?encrypted.*", "文件已加密或不是数据库"),
)
MAX_SHOWN = 3


def problem_in_chinese(raw: str) -> str:
    """SQLite's integrity report ("row 910 missing from index cadre_id_number; …") in
    Chinese; the first few problems, and how many more."""
    if not raw:
        return ""
    parts = [p.strip() for p in re.split(r"[;\n]", raw) if p.strip()]
    words: list[str] = []
    for part in parts:
        for pattern, replacement in PATTERNS:
            if re.fullmatch(pattern, part, flags=re.IGNORECASE | re.DOTALL):
                words.append(re.sub(pattern, replacement, part, flags=re.IGNORECASE | re.DOTALL))
                break
        else:
            words.append("内部结构有错误")
    unique = list(dict.fromkeys(words))
    shown = "；".join(unique[:MAX_SHOWN])
    if all(w.startswith("索引") for w in unique):
        shown = f"索引与数据不一致：{shown}"
    if len(unique) > MAX_SHOWN:
        shown += f"；另有 {len(unique) - MAX_SHOWN} 处问题"
    return shown


def full_check(path: Path) -> str | None:
    """None if the database at `path` passes `PRAGMA integrity_check`, else the problem
    (in SQLite's words; `problem_in_chinese` says it for the clerk)."""
    from db.backup import integrity_problem

    return integrity_problem(Path(path))


def refuse_if_damaged(path: Path, backups: Path | None = None) -> None:
    """Raise `DamagedDatabase` naming the newest good backup when the full check fails."""
    problem = full_check(path)
    if problem:
        raise DamagedDatabase(damage_report(path, problem, backups))


def damage_report(path: Path, problem: str | None, backups: Path | None = None) -> str:
    """The clerk's message: which file is damaged, how, and the newest good backup."""
    from db.connection import _damaged

    return _damaged(Path(path), problem, backups)
