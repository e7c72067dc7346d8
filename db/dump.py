"""The township's whole database as plain rows, and its checksum: what `_data` carries."""

from __future__ import annotations

import hashlib
import json

from db.models import DATA_MODELS, database

# tables in dependency order (parents first), so that a restore can insert them as listed
DUMP_TABLES: tuple[str, ...] = tuple(model._meta.table_name for model in DATA_MODELS)


def dump_rows() -> dict[str, list[dict]]:
    """Every row of every data table, as stored (ids, codes, fen, ISO dates)."""
    result = {}
    for table in DUMP_TABLES:
        cursor = database.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1')
        names = [c[0] for c in cursor.description]
        result[table] = [dict(zip(names, values)) for values in cursor.fetchall()]
    return result


def row_line(table: str, row: dict) -> str:
    """One row as canonical JSON: the unit `_data` stores and the checksum covers."""
    return json.dumps(
        [table, row], ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )


def checksum(lines: list[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _primary_key(table: str) -> str:
    model = next(m for m in DATA_MODELS if m._meta.table_name == table)
    return model._meta.primary_key.column_name


def diff_rows(rows_by_table: dict[str, list[dict]]) -> dict[str, dict[str, int]]:
    """How many rows of each table an upsert would add, update or leave unchanged."""
    result = {}
    for table in DUMP_TABLES:
        rows = rows_by_table.get(table, [])
        key = _primary_key(table)
        cursor = database.execute_sql(f'SELECT * FROM "{table}"')
        names = [c[0] for c in cursor.description]
        existing = {r[names.index(key)]: dict(zip(names, r)) for r in cursor.fetchall()}
        counts = {"add": 0, "update": 0, "unchanged": 0}
        for row in rows:
            old = existing.get(row[key])
            if old is None:
                counts["add"] += 1
            elif row_line(table, old) == row_line(table, {n: row.get(n) for n in old}):
                counts["unchanged"] += 1
            else:
                counts["update"] += 1
        result[table] = counts
    return result


def upsert_rows(rows_by_table: dict[str, list[dict]]) -> None:
    """Insert or update every row by its primary key, parents first; call in a transaction.
    Foreign keys are checked at commit, so the order inside a table does not matter."""
    database.execute_sql("PRAGMA defer_foreign_keys = ON")
    for table in DUMP_TABLES:
        rows = rows_by_table.get(table, [])
        if not rows:
            continue
        key = _primary_key(table)
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != key)
        sql = (
            f'INSERT INTO "{table}" ({names}) VALUES ({marks}) '
            f'ON CONFLICT("{key}") DO UPDATE SET {updates}'
        )
        database.execute_sql("SELECT 1")  # keep peewee's connection open
        connection = database.connection()
        connection.executemany(sql, [tuple(row.get(c) for c in columns) for row in rows])
