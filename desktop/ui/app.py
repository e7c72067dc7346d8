"""The desktop program's entry point: QApplication, fonts, and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import APP_NAME
from desktop.ui.main_window import MainWindow


def run(data_dir: Path | None = None) -> int:
    from db.connection import database_path
    from db.errors import UserError
    from desktop.instance_lock import InstanceLock

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    lock = InstanceLock(database_path(data_dir).parent)
    try:
        lock.acquire()
    except UserError as exc:
        QMessageBox.information(None, APP_NAME, exc.message)
        return 1
    try:
        window = MainWindow(data_dir)
        window.show()
        return app.exec()
    finally:
        lock.release()
