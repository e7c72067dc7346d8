"""The desktop program's entry point: QApplication, fonts, and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop import APP_NAME
from desktop.ui.main_window import MainWindow


def run(data_dir: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    window = MainWindow(data_dir)
    window.show()
    return app.exec()
