"""Moving the data folder (设置 → 数据文件夹): copied verified, backups along, the old
file set aside, the program pointed at the new place; a missing disk is said plainly."""

import os

import pytest
from PySide6.QtWidgets import QMessageBox

from db.backup import daily_backup
from db.connection import (
    DATA_DIR_ENV,
    DB_FILENAME,
    close_db,
    database_path,
    default_data_dir,
    init_db,
)
from db.errors import UserError
from db.models import Cadre
from db.relocate import move_data_folder


@pytest.fixture
def home_sample(sample, data_dir, monkeypatch):
    """The sample township in the program's home folder (as after a normal install)."""
    monkeypatch.setenv(DATA_DIR_ENV, str(data_dir))
    path = sample("small")
    daily_backup(path)
    return path


def test_the_data_moves_with_its_backups_and_the_program_follows(home_sample, tmp_path):
    cadres = Cadre.select().count()
    target = tmp_path / "D盘" / "党建数据"
    new_path = move_data_folder(home_sample, target)
    assert new_path == target / DB_FILENAME and default_data_dir() == target
    assert database_path() == new_path
    assert not home_sample.exists()  # the old file is set aside, not left to be opened
    assert list(home_sample.parent.glob("township-moved-*.sqlite3"))
    assert list((target / "backups").glob("*.sqlite3"))
    init_db(new_path)
    assert Cadre.select().count() == cadres
    close_db()


def test_a_folder_that_already_holds_a_township_is_refused(home_sample, tmp_path):
    target = tmp_path / "other"
    target.mkdir()
    (target / DB_FILENAME).write_bytes(b"someone else's")
    with pytest.raises(UserError, match="已经有一个乡镇数据库"):
        move_data_folder(home_sample, target)
    assert home_sample.exists() and default_data_dir() == home_sample.parent
    assert (target / DB_FILENAME).read_bytes() == b"someone else's"


def test_moving_from_the_settings_page_closes_the_window(home_sample, qtbot, tmp_path, monkeypatch):
    from desktop.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.checks_pending)
    told = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    window.settings.move_to(tmp_path / "新文件夹")
    assert "数据已移到" in told[0] and not window.isVisible()
    assert default_data_dir() == (tmp_path / "新文件夹").resolve()


def test_a_moved_folder_that_is_missing_is_said_plainly(home_sample, qtbot, tmp_path):
    from desktop.ui.main_window import MainWindow

    target = tmp_path / "U盘"
    move_data_folder(home_sample, target)
    os.rename(target, tmp_path / "拔掉了")  # the USB disk is not plugged in
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.outer.currentWidget() is window.problem_page
    assert "找不到数据文件夹" in window.problem.text() and window.setup is None


def test_a_lost_pointer_leads_to_a_warning_not_a_silent_first_start(home_sample, qtbot, tmp_path):
    from db.connection import POINTER_FILENAME
    from desktop.ui.main_window import MainWindow

    move_data_folder(home_sample, tmp_path / "新位置")
    (home_sample.parent / POINTER_FILENAME).unlink()  # someone tidied the program's folder
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.outer.currentWidget() is window.setup
    assert "已移到其他文件夹" in window.setup.moved_warning.text()
