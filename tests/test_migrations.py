"""Schema versions: new files, every earlier schema, newer files and foreign files."""

import sqlite3
from pathlib import Path

import peewee
import pytest

import db.migrations as migrations
from db.connection import close_db, init_db
from db.errors import UserError
from db.models import ALL_MODELS, Township, database


def columns(db, table):
    return {
        (name, kind.upper(), bool(notnull), bool(pk))
        for _, name, kind, notnull, _, pk in db.execute_sql(f'PRAGMA table_info("{table}")')
    }


def test_new_database_gets_the_latest_schema_which_matches_the_models(tmp_path):
    db = init_db(tmp_path / "new.sqlite3", create=True)
    assert migrations.schema_version(db) == migrations.LATEST
    reference = peewee.SqliteDatabase(":memory:")
    with reference.bind_ctx(ALL_MODELS):
        reference.create_tables(ALL_MODELS)
    for model in ALL_MODELS:
        table = model._meta.table_name
        assert columns(db, table) == columns(reference, table), table
    indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    assert {r[0] for r in db.execute_sql(indexes)} == {r[0] for r in reference.execute_sql(indexes)}


@pytest.mark.parametrize("version", range(1, migrations.LATEST + 1))
def test_every_earlier_schema_migrates_and_keeps_its_data(tmp_path, version):
    path = tmp_path / f"v{version}.sqlite3"
    raw = peewee.SqliteDatabase(str(path))
    raw.connect()
    migrations.migrate(raw, None, target=version)
    raw.execute_sql(
        "INSERT INTO township (id, name, county, prefecture, division_code, authority, "
        "contact_person, phone, created_at) VALUES (1, '妥甸镇', '双柏县', '楚雄彝族自治州', "
        "'532322100000', '中共双柏县委组织部', '', '', '2025-01-01 00:00:00')"
    )
    raw.close()
    init_db(path)
    assert migrations.schema_version(database) == migrations.LATEST
    assert Township.get().name == "妥甸镇"


def add_fake_migration(monkeypatch, apply):
    latest = migrations.LATEST + 1
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [(latest, apply)])
    monkeypatch.setattr(migrations, "LATEST", latest)
    return latest


def test_migrating_an_existing_database_backs_it_up_first(blank, monkeypatch):
    close_db()
    latest = add_fake_migration(
        monkeypatch, lambda db: db.execute_sql("ALTER TABLE village ADD COLUMN area REAL")
    )
    init_db(blank)
    assert migrations.schema_version(database) == latest
    backups = list((blank.parent / "backups").glob("*before-migration*.sqlite3"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("PRAGMA user_version").fetchone()[0] == latest - 1
    assert copy.execute("SELECT name FROM township").fetchone()[0] == "妥甸镇"


def test_a_failing_migration_changes_nothing(blank, monkeypatch):
    close_db()

    def broken(db):
        db.execute_sql("ALTER TABLE village ADD COLUMN area REAL")
        db.execute_sql("THIS IS NOT SQL")

    add_fake_migration(monkeypatch, broken)
    with pytest.raises(UserError, match="已全部撤销"):
        init_db(blank)
    check = sqlite3.connect(blank)
    assert check.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST - 1
    assert "area" not in {r[1] for r in check.execute("PRAGMA table_info(village)")}


def test_a_database_from_a_newer_program_is_refused_untouched(blank):
    close_db()
    raw = sqlite3.connect(blank)
    raw.execute(f"PRAGMA user_version = {migrations.LATEST + 5}")
    raw.commit()
    raw.close()
    before = blank.read_bytes()
    with pytest.raises(UserError, match="较新版本"):
        init_db(blank)
    assert blank.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "township.sqlite3"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(UserError, match="已损坏或不是本程序的数据库"):
        init_db(path)
    assert path.read_bytes() == before


def test_another_programs_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "township.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (text TEXT)")
    other.commit()
    other.close()
    with pytest.raises(UserError, match="不是本程序的数据库"):
        init_db(path)


def test_a_schema_1_database_keeps_its_posts_and_may_then_store_an_unknown_start(tmp_path):
    """tests/data/schema-v1.sqlite3 was made by the schema-1 program (commit 8c3e106)."""
    import datetime as dt
    import shutil
    from pathlib import Path

    from db.models import Appointment, Cadre

    path = tmp_path / "township.sqlite3"
    shutil.copyfile(Path(__file__).parent / "data" / "schema-v1.sqlite3", path)
    old = sqlite3.connect(path)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    before = old.execute("SELECT * FROM appointment ORDER BY id").fetchall()
    old.close()
    init_db(path)
    assert migrations.schema_version(database) == migrations.LATEST
    after = database.execute_sql("SELECT * FROM appointment ORDER BY id").fetchall()
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    assert Appointment.get_by_id(2).end_date == dt.date(2024, 6, 1)
    unknown = Appointment.create(cadre=Cadre.get(), post="12", village=1, start_date=None)
    assert Appointment.get_by_id(unknown.id).start_date is None
    assert list(database.execute_sql("PRAGMA foreign_key_check")) == []
    indexes = {r[1] for r in database.execute_sql("PRAGMA index_list(appointment)")}
    assert {"appointment_cadre_id", "appointment_village_id"} <= indexes
    backups = list((tmp_path / "backups").glob("*before-migration-v1*.sqlite3"))
    assert len(backups) == 1


STORED = sorted((Path(__file__).parent / "data").glob("schema-v*.sqlite3"))


def stored_tables(connection) -> dict[str, tuple[list[str], list[tuple]]]:
    """table → (its columns, its rows in rowid order), every table of the file."""
    names = [
        r[0]
        for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    found = {}
    for table in names:
        columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')]
        quoted = ", ".join(f'"{c}"' for c in columns)
        rows = connection.execute(f'SELECT {quoted} FROM "{table}" ORDER BY rowid').fetchall()
        found[table] = (columns, [tuple(r) for r in rows])
    return found


def test_a_database_of_the_newest_schema_is_stored():
    """Whoever adds a migration stores a database made by the program before it (here, as
    tests/data/schema-v<N>.sqlite3, see tests/data/README.md), so that the test below
    migrates real data through every later migration."""
    # PRAGMA user_version, read from the file's header: opening the stored file (even
    # read-only) would leave WAL files beside it
    versions = {p.name: int.from_bytes(p.read_bytes()[60:64], "big") for p in STORED}
    assert versions == {f"schema-v{v}.sqlite3": v for v in versions.values()}
    assert set(versions.values()) == set(range(1, migrations.LATEST + 1))


@pytest.mark.parametrize("stored", STORED, ids=lambda p: p.stem)
def test_every_stored_database_opens_with_this_program_and_keeps_its_data(tmp_path, stored):
    import shutil

    from db.statistics import key_figures_of
    from db.year_data import load_year_data
    from db.years import resolve_year
    from desktop.checks import run_checks

    path = tmp_path / "township.sqlite3"
    shutil.copyfile(stored, path)
    old = sqlite3.connect(path)
    version = old.execute("PRAGMA user_version").fetchone()[0]
    before = stored_tables(old)
    old.close()
    assert sum(len(rows) for _, rows in before.values()) > 0
    init_db(path)
    assert migrations.schema_version(database) == migrations.LATEST
    after = stored_tables(database.connection())
    for table, (columns, rows) in before.items():
        # a migration may add columns and tables, never lose or change a stored value
        assert table in after, table
        kept = [after[table][0].index(c) for c in columns]
        assert [tuple(r[i] for i in kept) for r in after[table][1]] == rows, table
    assert list(database.execute_sql("PRAGMA foreign_key_check")) == []
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    data = load_year_data(resolve_year(None))  # and the program works on it
    assert dict(key_figures_of(data))["行政村(社区)数"] == len(data.villages) > 0
    run_checks(data=data)
    backups = list((tmp_path / "backups").glob(f"*before-migration-v{version}*.sqlite3"))
    assert len(backups) == (version < migrations.LATEST)
