"""A scratch in-memory database, bound for a moment and then unbound again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from db.migrations import migrate
from db.models import database


@contextmanager
def scratch_database() -> Iterator[peewee.SqliteDatabase]:
    """Bind the models to a new, empty in-memory database with the current schema; on
    leaving, bind them back to the database bound before (left open, untouched)."""
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
