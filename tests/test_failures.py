"""Faults the clerk cannot see coming: a damaged index, a bug, a file without permission.

Each is met with a Chinese message naming the file and what to do; a bug leaves its
traceback in the data folder's log (ID and phone numbers masked)."""

import errno
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from db.backup import describe_backup, integrity_problem, list_backups, safety_backup
from db.connection import DB_FILENAME, close_db, init_db
from db.errors import DamagedDatabase, UserError
from db.models import Cadre, database
from db.os_errors import explain_os_error
from desktop.cli import main
from desktop.ui.main_window import NAV, MainWindow

ID_NUMBER, PHONE = "532301196510071614", "13812345678"


def damage_an_index(path: Path) -> None:
    """Change a cadre's ID number behind the back of its index (the index is hidden from
    the schema meanwhile): every page stays well-formed, so `quick_check` passes, but the
    index no longer matches its table, which only `integrity_check` sees."""
    connection = sqlite3.connect(path, isolation_level=None)
    entry = connection.execute(
        "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = ?",
        ("cadre_id_number",),
    ).fetchone()
    connection.execute("PRAGMA writable_schema = ON")
    connection.execute("DELETE FROM sqlite_master WHERE name = 'cadre_id_number'")
    connection.close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("UPDATE cadre SET id_number = '110101199003074477' WHERE id = 1")
    connection.execute("PRAGMA writable_schema = ON")
    connection.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", entry)
    connection.close()


def damaged_sample(sample, data_dir, *, daily_taken: bool) -> tuple[Path, Path]:
    """A sample township with one good backup, then its index damaged; → (db, backup)."""
    path = sample("small")
    good = safety_backup("daily" if daily_taken else "manual")
    close_db()
    damage_an_index(path)
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    connection.close()
    assert "missing from index cadre_id_number" in integrity_problem(path)
    return path, good


def backups_in(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "backups").glob("township-*.sqlite3"))


# -- 5. integrity that means it --------------------------------------------------------------
@pytest.mark.parametrize(
    "daily_taken", [False, True], ids=["at-the-daily-backup", "later-that-day"]
)
def test_a_damaged_index_is_named_with_the_newest_good_backup_on_the_command_line(
    sample, data_dir, capsys, daily_taken
):
    path, good = damaged_sample(sample, data_dir, daily_taken=daily_taken)
    before = path.read_bytes()
    assert main(["new-year", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert (
        "已损坏" in err and "索引与数据不一致" in err and "索引 cadre_id_number 缺少第 1 行" in err
    )
    assert str(good) in err and "township-desk restore" in err
    assert "missing" not in err  # SQLite's English stays out of the clerk's message
    assert backups_in(data_dir) == [good.name]  # no damaged copy, the good one kept
    close_db()
    assert path.read_bytes() == before  # nothing more built on it
    assert main(["restore", "--data-dir", str(data_dir), "--yes", str(good)]) == 0
    assert integrity_problem(path) is None


def test_no_import_is_built_on_a_damaged_index(sample, data_dir, tmp_path, capsys):
    from desktop.sample_data import sample_roster

    path, good = damaged_sample(sample, data_dir, daily_taken=True)
    connection = sqlite3.connect(path)
    villages = [name for (name,) in connection.execute("SELECT name FROM village")]
    connection.close()
    roster = tmp_path / "花名册.xlsx"
    sample_roster(roster, 20, villages=villages)  # the township's own: only the damage refuses
    before = path.read_bytes()
    assert main(["import", str(roster), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "索引与数据不一致" in err and str(good) in err
    close_db()
    assert path.read_bytes() == before and backups_in(data_dir) == [good.name]


def test_backups_are_verified_with_the_full_check(sample, data_dir):
    path, good = damaged_sample(sample, data_dir, daily_taken=False)
    init_db(path)  # the quick check lets it open
    with pytest.raises(DamagedDatabase) as refused:
        safety_backup("manual")
    assert str(good) in refused.value.message and "这份新的备份未保存" in refused.value.message
    assert backups_in(data_dir) == [good.name]
    close_db()
    copy = data_dir / "backups" / "township-20991231-235959-manual.sqlite3"
    shutil.copyfile(path, copy)  # a damaged file among the backups
    info = describe_backup(copy)
    assert not info.ok and info.problem.startswith("索引与数据不一致")
    assert "已损坏：索引与数据不一致" in info.line()
    assert [b.path for b in list_backups(data_dir / "backups") if b.ok] == [good]
    assert main(["restore", "--data-dir", str(data_dir), "--yes", str(copy)]) == 1


# -- 9. every OS error in Chinese, naming the file and what to do ---------------------------
@pytest.mark.parametrize(
    "error, words",
    [
        (PermissionError(errno.EACCES, "Permission denied"), "没有权限读写该文件"),
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
        (OSError(errno.EROFS, "Read-only file system"), "只读"),
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "找不到"),
        (OSError(errno.EIO, "Input/output error"), "磁盘或U盘可能有故障"),
    ],
)
def test_os_errors_are_said_in_chinese_with_the_file_and_what_to_do(error, words, tmp_path):
    error.filename = str(tmp_path / "报表.xlsx")
    message = explain_os_error(error, doing="写入")
    assert message.startswith(f"无法写入 {tmp_path / '报表.xlsx'}：") and words in message
    assert "请" in message  # what the clerk can do
    english = re.findall(r"[A-Za-z]{3,}", message.replace(str(tmp_path), ""))
    assert set(english) <= {"xlsx", "WPS", "Excel", "Windows"}, english


def test_a_file_held_by_another_program_on_windows(tmp_path):
    held = PermissionError(errno.EACCES, "The process cannot access the file")
    held.winerror = 32
    assert "正被其他程序使用" in explain_os_error(held, tmp_path / "township.sqlite3")


def test_a_database_without_permission_is_named_as_such(sample, data_dir, capsys):
    """chmod 000 means nothing to root: when the tests run as root, the command runs with
    the effective user `nobody` (seteuid, undone afterwards)."""
    sample("small")
    close_db()
    folder = Path(tempfile.mkdtemp(prefix="乡镇数据-"))
    try:
        os.chmod(folder, 0o755)
        shutil.copyfile(data_dir / DB_FILENAME, folder / DB_FILENAME)
        assert main(["stats", "--data-dir", str(folder)]) == 0  # everything it needs loaded
        close_db()
        capsys.readouterr()
        os.chmod(folder / DB_FILENAME, 0)
        root = os.geteuid() == 0
        if root:
            os.seteuid(65534)
        try:
            code = main(["stats", "--data-dir", str(folder)])
        finally:
            if root:
                os.seteuid(0)
        err = capsys.readouterr().err
        assert code == 1 and "Traceback" not in err, err
        assert f"无法打开数据库文件 {folder / DB_FILENAME}：没有权限读写该文件" in err
        assert "不可写或已被移走" not in err and "Permission" not in err
    finally:
        close_db()
        shutil.rmtree(folder)


def exported_workbook(sample, data_dir, tmp_path) -> Path:
    from desktop.reports.export import export_report

    sample("small")
    made = export_report(tmp_path / "报表").path
    close_db()
    return made


def test_restoring_a_workbook_points_to_import(sample, data_dir, tmp_path, capsys):
    workbook = exported_workbook(sample, data_dir, tmp_path)
    assert main(["restore", "--data-dir", str(data_dir), "--yes", str(workbook)]) == 1
    err = capsys.readouterr().err
    assert "这是 Excel 工作簿，不是备份文件" in err and "township-desk import" in err
    assert workbook.name in err and "not a database" not in err


@pytest.mark.parametrize("suffix", [".et", ".csv", ".xls"])
def test_restoring_a_spreadsheet_asks_to_save_it_as_xlsx(sample, data_dir, tmp_path, suffix):
    sample("small")
    other = tmp_path / f"备份{suffix}"
    other.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(UserError) as refused:
        from db.backup import restore_backup

        restore_backup(other, data_dir / DB_FILENAME)
    assert "另存为” .xlsx" in refused.value.message and other.name in refused.value.message


def test_a_merge_that_finds_nothing_names_where_it_looked(tmp_path, capsys):
    empty = tmp_path / "各乡镇报表"
    empty.mkdir()
    assert main(["merge", str(empty), "-o", str(tmp_path / "汇总")]) == 1
    assert str(empty) in capsys.readouterr().err


def test_a_merge_output_folder_that_cannot_be_made_is_named(sample, data_dir, tmp_path, capsys):
    workbook = exported_workbook(sample, data_dir, tmp_path)
    blocker = tmp_path / "挡路的文件"
    blocker.write_text("x")
    assert main(["merge", str(workbook), "-o", str(blocker / "汇总")]) == 1
    err = capsys.readouterr().err
    assert str(blocker / "汇总") in err and "路径中有一段不是文件夹" in err


# -- 8. every unexpected failure leaves a trace ---------------------------------------------
def test_a_bug_on_the_command_line_is_logged_masked_and_said_in_chinese(
    sample, data_dir, capsys, monkeypatch
):
    import db.statistics

    sample("small")
    close_db()

    def broken(year):
        raise RuntimeError(f"bad figure for {ID_NUMBER} / {PHONE}")

    monkeypatch.setattr(db.statistics, "key_figures", broken)
    assert main(["stats", "--data-dir", str(data_dir)]) == 3
    err = capsys.readouterr().err
    log = data_dir / "logs" / "township-desk.log"
    assert "执行 stats 命令时程序内部出错" in err and "数据未改动" in err and str(log) in err
    assert "Traceback" not in err and ID_NUMBER not in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in broken" in text
    assert ID_NUMBER not in text and PHONE not in text
    assert "532301************" in text and "138********" in text


def test_a_bug_after_a_saved_change_does_not_claim_nothing_changed(
    sample, data_dir, capsys, monkeypatch
):
    import db.years

    sample("small")
    close_db()
    carry = db.years.carry_forward

    def half_done(year, **kwargs):
        carry(year, **kwargs)  # committed
        raise RuntimeError("after the commit")

    monkeypatch.setattr(db.years, "carry_forward", half_done)
    assert main(["new-year", "--data-dir", str(data_dir)]) == 3
    err = capsys.readouterr().err
    assert "数据未改动" not in err and "出错前已经保存的内容会保留" in err


def test_the_log_masks_id_and_phone_numbers_but_not_dates_or_file_names():
    from desktop.crash_log import mask

    line = "53230119651007161X 张三 13812345678 township-20261201-203955-daily.sqlite3 2026120120395512"
    assert mask(line) == (
        "532301************ 张三 138******** township-20261201-203955-daily.sqlite3 2026120120395512"
    )


def test_the_log_rotates(tmp_path):
    from desktop import crash_log

    folder = tmp_path / "data"
    for n in range(40):
        try:
            raise ValueError("x" * 50_000 + str(n))
        except ValueError as exc:
            log = crash_log.log_failure("测试", exc, folder)
    files = sorted(p.name for p in (folder / "logs").iterdir())
    assert log == folder / "logs" / "township-desk.log"
    assert "township-desk.log.1" in files and len(files) <= crash_log.BACKUP_COUNT + 1
    assert all(
        p.stat().st_size <= crash_log.MAX_BYTES + 60_000 for p in (folder / "logs").iterdir()
    )


# -- the window ------------------------------------------------------------------------------
@pytest.fixture
def boxes(monkeypatch):
    """A message box nobody answers would hang the suite: record them instead."""
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    return shown


def open_window(qtbot, data_dir) -> MainWindow:
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.mark.parametrize(
    "daily_taken", [False, True], ids=["at-the-daily-backup", "in-the-background"]
)
def test_a_damaged_index_stops_the_window_and_offers_the_good_backup(
    qtbot, sample, data_dir, boxes, monkeypatch, daily_taken
):
    path, good = damaged_sample(sample, data_dir, daily_taken=daily_taken)
    window = open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: window.outer.currentWidget() is window.problem_page)
    qtbot.waitUntil(lambda: window.integrity.running == 0)
    assert "索引 cadre_id_number 缺少第 1 行" in window.problem.text()
    assert str(good) in window.problem.text() and window.rescue_button.isVisible()
    assert len(boxes) == 1 and str(good) in boxes[0] and "已损坏" in boxes[0]
    assert sorted(p.name for p in (data_dir / "backups").iterdir()) == [good.name]
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    qtbot.mouseClick(window.rescue_button, Qt.LeftButton)
    assert window.outer.currentWidget() is window.main_page
    assert integrity_problem(path) is None and Cadre.select().count() > 0
    assert list(data_dir.glob("township-damaged-*.sqlite3"))  # the damaged file kept aside


def test_a_sound_database_passes_the_background_check_unnoticed(qtbot, sample, data_dir, boxes):
    sample("small")
    window = open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: window.integrity.running == 0 and not window.checks_pending)
    assert window.outer.currentWidget() is window.main_page and boxes == []


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_page_is_logged_and_explained(qtbot, sample, data_dir, monkeypatch, boxes):
    sample("small")
    window = open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: not window.checks_pending)

    def broken(*_args):
        raise ZeroDivisionError(f"cadre {ID_NUMBER} phone {PHONE}")

    monkeypatch.setattr(window.cadres, "set_rows", broken)
    qtbot.wait(10)  # the event loop goes idle: the change watch is marked
    window.nav.setCurrentRow(NAV.index("干部"))
    box = window.error_box
    assert box is not None and box.isVisible()
    log = data_dir / "logs" / "township-desk.log"
    assert "在“干部”页操作时程序内部出错" in box.text() and "数据未改动" in box.text()
    assert str(log) in box.text() and ID_NUMBER not in box.text()
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "ZeroDivisionError" in text
    assert "in broken" in text and ID_NUMBER not in text and PHONE not in text
    assert "532301************" in text and "138********" in text
    box.button(QMessageBox.Ok).click()
    assert not box.isVisible()
    assert window.isVisible() and window.outer.currentWidget() is window.main_page

    def saved_then_broken(*_args):
        from db.settings import set_settings

        set_settings(report_preparer="李四")  # committed before the bug
        raise ZeroDivisionError("after the save")

    monkeypatch.setattr(window.villages, "set_rows", saved_then_broken)
    qtbot.wait(10)
    window.nav.setCurrentRow(NAV.index("村(社区)"))
    assert box.isVisible() and "在“村(社区)”页操作时程序内部出错" in box.text()
    assert "数据未改动" not in box.text() and "出错前已经保存的内容会保留" in box.text()
    box.button(QMessageBox.Ok).click()


def test_a_bug_in_a_background_job_says_whether_data_changed(qtbot, sample, data_dir, boxes):
    from db.settings import set_settings

    sample("small")
    window = open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: not window.checks_pending)
    messages = []

    def read_then_fail(progress):
        progress("正在统计", 10)
        Cadre.select().count()
        raise KeyError("no such column")

    def save_then_fail(progress):
        progress("正在保存设置", 10)
        set_settings(report_preparer="李四")  # committed
        raise KeyError("after the save")

    def unexpected_os_error(progress):
        raise PermissionError(13, "Permission denied", "/mnt/u盘/报表.xlsx")

    for work in (read_then_fail, save_then_fail, unexpected_os_error):
        window.jobs.start(work, lambda _r: messages.append("done"), messages.append)
        qtbot.waitUntil(lambda: window.jobs.running == 0)
    assert len(messages) == 3
    first, second, third = messages
    assert "无法读写 /mnt/u盘/报表.xlsx：没有权限读写该文件" in third and "Permission" not in third
    assert "后台处理（正在统计）时程序内部出错" in first and "数据未改动" in first
    assert "数据未改动" not in second and "出错前已经保存的内容会保留" in second
    log = data_dir / "logs" / "township-desk.log"
    assert str(log) in first and "KeyError: 'after the save'" in log.read_text(encoding="utf-8")
    assert database.obj is not None
