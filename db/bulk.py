"""Fast inserts of many rows: sqlite3's executemany, with each field's own conversion
(peewee's insert_many spends most of its time building SQL). Call inside a transaction."""

from __future__ import annotations

from db.models import database


def bulk_insert(model, rows: list[dict]) -> None:
    """Insert `rows` (dicts by field name; missing fields take their defaults)."""
    if not rows:
        return
    fields = list(model._meta.sorted_fields)
    defaults = model._meta.get_default_dict()
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join("?" for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'

    def values(row: dict) -> tuple:
        out = []
        for f in fields:
            value = row[f.name] if f.name in row else defaults.get(f.name)
            if hasattr(value, "_pk"):
                value = value._pk
            out.append(None if value is None and f.name == "id" else f.db_value(value))
        return tuple(out)

    database.connection().executemany(sql, [values(r) for r in rows])
