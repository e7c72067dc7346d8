"""The window as the clerk first sees it (the full program comes with the GUI issue)."""

from db.connection import DB_FILENAME
from desktop.ui.main_window import MainWindow


def test_first_start_offers_the_sample_and_shows_its_figures(qtbot, data_dir):
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.show()
    assert window.heading.text() == "尚未建立乡镇数据库"
    assert window.demo_button.isVisible()
    window.demo_button.click()
    assert (data_dir / DB_FILENAME).exists()
    assert "妥甸镇" in window.windowTitle()
    assert window.year_box.currentText() == "2025"
    labels = [window.figures.item(r, 0).text() for r in range(window.figures.rowCount())]
    assert labels[0] == "行政村(社区)数" and window.figures.item(0, 1).text() == "15"
    assert "强制性问题 0 条" in window.summary.text()
    assert not window.demo_button.isVisible()


def test_switching_year_updates_the_figures(qtbot, sample, data_dir):
    sample("small")
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    window.year_box.setCurrentText("2024")
    assert "2024 年度审核" in window.summary.text()


def test_a_damaged_database_is_reported_in_the_window(qtbot, data_dir):
    (data_dir / DB_FILENAME).write_bytes(b"not a database at all" * 100)
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    assert window.heading.text() == "无法打开数据库"
    assert "已损坏" in window.summary.text()
