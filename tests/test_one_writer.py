"""One writer per data folder, new databases that appear whole, files the clerk edited kept,
backups written where asked, years opened only when due, and outcomes told as they are."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from db.backup import list_backups, restore_backup, safety_backup
from db.connection import DB_FILENAME, close_db, init_db
from db.dump import dump_rows
from db.errors import UserError
from db.models import Cadre, StatYear
from desktop.cli import main
from desktop.instance_lock import LOCK_NAME, InstanceLock, folder_lock


def holder(folder: Path, what: str) -> subprocess.Popen:
    """Another program holding the data folder until its stdin closes."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from desktop.instance_lock import InstanceLock; "
            f"lock = InstanceLock(r'{folder}', {what!r}); lock.acquire(0); "
            "print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def let_go(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.wait(timeout=30)


def digest(path: Path) -> bytes:
    return path.read_bytes()


def test_a_second_writer_is_refused_with_the_program_that_holds_the_folder(
    sample, data_dir, capsys
):
    sample("small")
    close_db()
    db = data_dir / DB_FILENAME
    other = holder(data_dir, "命令 import 名册.xlsx")
    try:
        before = digest(db)
        for args in (
            ["new-year"],
            ["restore", "--yes", str(db)],
            ["backup"],
            ["export", "-o", str(data_dir / "out")],
            ["explain", "--rule", "C13", "--record", "cadre:1", "说明"],
            ["remove-year", "2025", "--yes"],
            ["init", "--prefecture", "楚雄彝族自治州", "--county", "双柏县"]
            + ["--township", "妥甸镇", "--code", "532322100000"],
        ):
            assert main([*args, "--data-dir", str(data_dir)]) == 1, args
            message = capsys.readouterr().err
            assert "正被命令 import 名册.xlsx" in message, (args, message)
            assert f"进程 {other.pid}" in message and "数据未作改动" in message
        assert digest(db) == before
        assert not (data_dir / "out").exists()
        # readers keep working beside the writer
        assert main(["stats", "--data-dir", str(data_dir)]) == 0
        assert main(["check", "--data-dir", str(data_dir)]) in (0, 1)
        assert main(["backups", "--data-dir", str(data_dir)]) == 0
        assert "妥甸镇" in capsys.readouterr().out
    finally:
        let_go(other)
    assert main(["new-year", "--data-dir", str(data_dir)]) == 0  # free again
    assert (data_dir / LOCK_NAME).read_text() == ""  # no stale name left behind


def test_the_window_holding_the_folder_is_named(sample, data_dir, capsys, tmp_path):
    sample("small")
    close_db()
    window = holder(data_dir, "窗口")
    try:
        assert main(["import", str(tmp_path / "x.xlsx"), "--data-dir", str(data_dir)]) == 1
        assert "正被窗口（进程" in capsys.readouterr().err
        with pytest.raises(UserError, match="本程序已经打开.*窗口"):
            InstanceLock(data_dir).acquire(0.1)  # a second window
    finally:
        let_go(window)


def test_one_process_never_waits_for_itself(tmp_path):
    with folder_lock(tmp_path, "命令 import"), folder_lock(tmp_path, "命令 import"):
        assert "命令 import" in (tmp_path / LOCK_NAME).read_text()


def test_restore_never_replaces_the_file_another_program_has_open(sample, data_dir):
    path = sample("small")
    backup = safety_backup("manual")
    wanted = dump_rows()
    Cadre.delete().where(Cadre.id > 3).execute()
    close_db()
    inode = path.stat().st_ino
    reader = sqlite3.connect(path)
    try:
        assert reader.execute("SELECT count(*) FROM cadre").fetchone()[0] == 3
        restore_backup(backup, path)
        assert path.stat().st_ino == inode  # the same file, its contents replaced in one go
        assert reader.execute("SELECT count(*) FROM cadre").fetchone()[0] == len(wanted["cadre"])
    finally:
        reader.close()
    assert dump_rows() == wanted
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_database_with_tables_but_no_township_counts_as_empty(data_dir, tmp_path, capsys):
    db = data_dir / DB_FILENAME
    init_db(db, create=True)  # what a crash in an earlier version left: tables, no township
    close_db()
    (data_dir / f".{DB_FILENAME}.building-99999").write_bytes(b"half")  # and a killed build
    assert main(["demo", "--scale", "small", "--data-dir", str(data_dir)]) == 0
    assert not list(data_dir.glob(".*building*"))
    out = tmp_path / "out"
    assert main(["export", "-o", str(out), "--data-dir", str(data_dir)]) == 0
    workbook = next(out.glob("*.xlsx"))
    wanted = dump_rows()
    close_db()
    for command in (
        ["import", str(workbook)],
        ["init", "--prefecture", "楚雄彝族自治州", "--county", "双柏县"]
        + ["--township", "妥甸镇", "--code", "532322100000"],
    ):
        db.unlink()
        init_db(db, create=True)
        close_db()
        assert main([*command, "--data-dir", str(data_dir)]) == 0, capsys.readouterr().err
        init_db(db)
        assert StatYear.select().count() >= 1
        if command[0] == "import":
            assert dump_rows() == wanted
        close_db()
    again = main(
        ["init", "--prefecture", "楚雄彝族自治州", "--county", "双柏县", "--township"]
        + ["妥甸镇", "--code", "532322100000", "--data-dir", str(data_dir)]
    )
    assert again == 1 and "已经存在乡镇数据库" in capsys.readouterr().err


def test_a_second_corrections_file_gets_a_new_name(sample, data_dir, tmp_path):
    from desktop.imports.run import run_import
    from desktop.sample_data import ROSTER_VILLAGES, sample_roster

    sample("small")
    roster = sample_roster(tmp_path / "名册.xlsx", 5)
    wb = openpyxl.load_workbook(roster)
    wb.active.cell(3, 3).value = "123"  # one wrong ID number
    wb.save(roster)
    first = run_import(
        [roster], data_dir, valid_only=True, new_villages=ROSTER_VILLAGES
    ).corrections[0]
    assert first.name == "名册_待修正.xlsx"
    edited = openpyxl.load_workbook(first)
    edited.active.cell(2, 3).value = "正在修改"  # the clerk is correcting it
    edited.save(first)
    kept = first.read_bytes()
    second = run_import(
        [roster], data_dir, valid_only=True, new_villages=ROSTER_VILLAGES
    ).corrections[0]
    assert second.name == "名册_待修正(2).xlsx" and first.read_bytes() == kept
    third = run_import(
        [second], data_dir, valid_only=True, new_villages=ROSTER_VILLAGES
    ).corrections[0]
    assert third.name == "名册_待修正(3).xlsx"  # not 名册_待修正(2)_待修正


def test_an_import_whose_corrections_cannot_be_written_changes_nothing(sample, data_dir, tmp_path):
    from desktop.sample_data import ROSTER_VILLAGES, sample_roster

    sample("small")
    close_db()
    mount = tmp_path / "只读"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        roster = sample_roster(mount / "名册.xlsx", 5)
        wb = openpyxl.load_workbook(roster)
        wb.active.cell(3, 3).value = "123"
        wb.save(roster)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        before = digest(data_dir / DB_FILENAME)
        result = subprocess.run(
            [sys.executable, "-m", "desktop", "import", str(roster), "--valid-only"]
            + ["--new-villages", ",".join(ROSTER_VILLAGES)]
            + ["--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "无法在" in result.stderr and "待修正" in result.stderr
        assert "整个导入已取消、数据未改动" in result.stderr
        assert digest(data_dir / DB_FILENAME) == before
        assert not [b for b in list_backups(data_dir / "backups") if "import" in b.reason]
    finally:
        subprocess.run(["umount", str(mount)])


def test_backup_to_a_file_name_or_into_a_folder_and_restore_takes_it(
    sample, data_dir, tmp_path, capsys
):
    sample("small")
    close_db()
    os.chdir(tmp_path)
    assert main(["backup", "-o", "乡镇.bak", "--data-dir", str(data_dir)]) == 0
    made = Path(capsys.readouterr().out.strip())
    assert made == Path("乡镇.bak") and made.is_file()
    assert main(["backup", "-o", "乡镇.bak", "--data-dir", str(data_dir)]) == 1
    assert "已经存在，不会覆盖" in capsys.readouterr().err
    (tmp_path / "U盘").mkdir()
    assert main(["backup", "-o", "U盘", "--data-dir", str(data_dir)]) == 0
    inside = Path(capsys.readouterr().out.strip())
    assert inside.parent == Path("U盘") and inside.name.startswith("township-")
    assert main(["backup", "-o", "新文件夹/", "--data-dir", str(data_dir)]) == 0
    into = Path(capsys.readouterr().out.strip())
    assert into.parent == Path("新文件夹")
    assert main(["restore", "--yes", "新文件夹", "--data-dir", str(data_dir)]) == 1
    assert f"是一个文件夹，不是备份文件。其中最新的备份是 {into}" in capsys.readouterr().err
    init_db(data_dir / DB_FILENAME)
    wanted = dump_rows()
    Cadre.delete().where(Cadre.id > 2).execute()
    close_db()
    assert main(["restore", "--yes", "乡镇.bak", "--data-dir", str(data_dir)]) == 0
    init_db(data_dir / DB_FILENAME)
    assert dump_rows() == wanted


def test_new_year_opens_only_the_next_year_and_never_beyond_next_calendar_year(
    sample, data_dir, monkeypatch, capsys
):
    sample("small")  # years 2024 and 2025
    close_db()
    monkeypatch.setattr("db.years.now", lambda: dt.datetime(2026, 12, 1, 9, 0))
    args = ["new-year", "--data-dir", str(data_dir)]
    assert main(args) == 0 and main(args) == 0  # 2026, then 2027 (next calendar year)
    assert main(args) == 1
    assert "最多只能开始 2027 年度，不能开始 2028 年度" in capsys.readouterr().err
    init_db(data_dir / DB_FILENAME)
    assert [y.year for y in StatYear.select().order_by(StatYear.year)] == [2024, 2025, 2026, 2027]


def change_in_a_form(row) -> None:
    row.members_full += 1  # a carried figure corrected: logged in the change history
    row.save()


def test_a_year_opened_by_mistake_is_removed_while_nothing_was_entered(
    sample, data_dir, monkeypatch, capsys
):
    from db.models import OrgYear, ProjectYear, Training, VillageYear
    from db.years import carry_forward

    sample("small")
    before = dump_rows()
    carry_forward(2025)
    close_db()
    args = ["remove-year", "2026", "--data-dir", str(data_dir)]
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["不"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(args) == 1 and "已取消" in capsys.readouterr().out
    assert main([*args[:1], "2025", *args[2:], "--yes"]) == 1
    assert "只能删除最新的统计年度（2026）" in capsys.readouterr().err
    assert main([*args, "--yes"]) == 0
    assert "已删除 2026 年度" in capsys.readouterr().out
    init_db(data_dir / DB_FILENAME)
    assert dump_rows() == before
    assert any(b.reason == "before-remove-year" for b in list_backups(data_dir / "backups"))
    for enter in (
        lambda: Training.create(**{**Training.select().dicts().first(), "id": None, "year": 2026}),
        lambda: change_in_a_form(OrgYear.get(OrgYear.year == 2026)),
        lambda: OrgYear.update(rating="好").where(OrgYear.year == 2026).execute(),
    ):
        carry_forward(2025)
        enter()
        close_db()
        assert main([*args, "--yes"]) == 1
        assert "2026 年度已经录入了数据" in capsys.readouterr().err
        init_db(data_dir / DB_FILENAME)
        assert 2026 in [y.year for y in StatYear.select()]
        from db.years import remove_year

        with pytest.raises(UserError):
            remove_year(2026)
        for model in (VillageYear, OrgYear, ProjectYear, Training, StatYear):
            model.delete().where(model.year == 2026).execute()


def test_an_export_complete_before_a_later_step_failed_says_so(sample, data_dir, tmp_path):
    sample("small")
    close_db()
    db = data_dir / DB_FILENAME
    connection = sqlite3.connect(db)  # the database refuses every write, as on a full disk
    connection.execute(
        "CREATE TRIGGER full BEFORE INSERT ON setting BEGIN SELECT RAISE(FAIL, 'disk is full'); END"
    )
    connection.execute("DELETE FROM setting WHERE key LIKE 'report_%'")
    connection.commit()
    connection.close()
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "export", "-o", str(out), "--preparer", "张三"]
        + ["--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
    )
    workbook = next(out.glob("*.xlsx"))
    assert result.returncode == 0 and result.stdout.strip() == str(workbook)
    assert f"报表已完整导出到 {workbook}" in result.stderr and "磁盘空间不足" in result.stderr
    assert "撤销" not in result.stderr


def test_a_writer_in_a_read_only_folder_is_told_so_and_a_reader_works(sample, data_dir, tmp_path):
    sample("small")
    close_db()
    mount = tmp_path / "只读"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        (mount / DB_FILENAME).write_bytes((data_dir / DB_FILENAME).read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        before = digest(mount / DB_FILENAME)
        result = subprocess.run(
            [sys.executable, "-m", "desktop", "new-year", "--data-dir", str(mount)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "文件夹只读" in result.stderr and "数据未作改动" in result.stderr
        assert digest(mount / DB_FILENAME) == before
    finally:
        subprocess.run(["umount", str(mount)])


def test_the_window_waits_for_a_command_then_names_it(sample, data_dir, monkeypatch, qapp):
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.app import run

    sample("small")
    close_db()
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    other = holder(data_dir, "命令 restore")
    try:
        assert run(data_dir) == 1
    finally:
        let_go(other)
    assert "正被命令 restore（进程" in shown[0] and "数据未作改动" in shown[0]


def test_a_backup_with_another_page_size_is_restored_in_place(sample, data_dir, tmp_path):
    path = sample("small")
    wanted = dump_rows()
    other = tmp_path / "8k.sqlite3"
    copy = sqlite3.connect(other)
    sqlite3.connect(path).backup(copy)
    copy.execute("PRAGMA journal_mode = DELETE")
    copy.execute("PRAGMA page_size = 8192")
    copy.execute("VACUUM")
    assert copy.execute("PRAGMA page_size").fetchone()[0] == 8192
    copy.close()
    Cadre.delete().where(Cadre.id > 2).execute()
    inode = path.stat().st_ino
    restore_backup(other, path)
    assert dump_rows() == wanted and path.stat().st_ino == inode
    assert not list(data_dir.glob(".*restoring*"))
