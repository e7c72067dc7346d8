"""Another database's rows, read for a moment without disturbing the one the program uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from db.dump import DUMP_TABLES, upsert_rows
from db.migrations import migrate
from db.models import database


@contextmanager
def rows_in_place(rows_by_table: dict[str, list[dict]]) -> Iterator[None]:
    """While inside, the models read `rows_by_table` (a `_data` dump) instead of the data
    tables, on this thread only; on leaving, everything is as before.

    With a database open, its connection on this thread gets TEMP tables of the same names
    (SQLite looks in `temp` before `main`), so the window's own connection, on another
    thread, still sees the real data; the file is never written. With none open, the
    models are bound to a scratch in-memory database instead."""
    db = database.obj
    if db is None or db.is_closed():
        with _scratch_database():
            _load(rows_by_table)
            yield
        return
    connection = db.connection()
    schema = dict(
        connection.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'table'")
    )
    created: list[str] = []
    try:
        for table in DUMP_TABLES:
            connection.execute(schema[table].replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
            created.append(table)
        _load(rows_by_table)
        yield
    finally:
        for table in reversed(created):  # children first: no foreign key stands in the way
            connection.execute(f'DROP TABLE temp."{table}"')


def _load(rows_by_table: dict[str, list[dict]]) -> None:
    with database.atomic():  # foreign keys are checked at the end, parents in any order
        upsert_rows(rows_by_table)


@contextmanager
def _scratch_database() -> Iterator[peewee.SqliteDatabase]:
    previous = database.obj
    db = peewee.SqliteDatabase(":memory:", pragmas={"foreign_keys": 1})
    db.connect()
    try:
        migrate(db, None)
        database.initialize(db)
        yield db
    finally:
        db.close()
        database.initialize(previous)
