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
