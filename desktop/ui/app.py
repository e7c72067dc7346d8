"""The desktop program's entry point: QApplication, fonts, and the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import APP_NAME
from desktop.ui.main_window import MainWindow
from desktop.ui.translations import install_chinese
from resources import resource_path

SELF_TEST_ENV = "TOWNSHIP_DESK_SELF_TEST"


def run(data_dir: Path | None = None) -> int:
    from db.connection import database_path
    from db.errors import UserError
    from desktop.instance_lock import InstanceLock

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    install_chinese(app)
    app.setWindowIcon(QIcon(str(resource_path("icons", "township-desk.png"))))
    lock = InstanceLock(database_path(data_dir).parent)
    try:
        lock.acquire()
    except UserError as exc:
        QMessageBox.information(None, APP_NAME, exc.message)
        return 1
    try:
        window = MainWindow(data_dir)
        window.showMaximized()  # fills the screen (a 1366×768 office PC has no room to spare)
        if os.environ.get(SELF_TEST_ENV):  # an installer's check: the window opens, then quits
            QTimer.singleShot(0, lambda: (print(window.windowTitle(), flush=True), app.quit()))
        return app.exec()
    finally:
        lock.release()
