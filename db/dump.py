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


def write_match(match) -> None:
    """Write a restore matched by identity (`db.identity.match_rows`): the added rows with
    their new ids, the updated ones over ours; what the workbook lacks is left as it is.
    Call in a transaction; foreign keys are checked at commit."""
    database.execute_sql("PRAGMA defer_foreign_keys = ON")
    connection = database.connection()
    for table in DUMP_TABLES:
        tables = match.tables.get(table)
        if tables is None:
            continue
        key = _primary_key(table)
        for rows, update in ((tables.added, False), ([new for new, _ in tables.updated], True)):
            if not rows:
                continue
            columns = list(rows[0])
            if update:
                sets = ", ".join(f'"{c}" = ?' for c in columns if c != key)
                sql = f'UPDATE "{table}" SET {sets} WHERE "{key}" = ?'
                values = [
                    tuple(row.get(c) for c in columns if c != key) + (row[key],) for row in rows
                ]
            else:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" for _ in columns)
                sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
                values = [tuple(row.get(c) for c in columns) for row in rows]
            connection.executemany(sql, values)
