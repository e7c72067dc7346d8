"""The window's exception hook: a bug in a slot or an event handler is written to the data
folder's log (masked) and the clerk sees a Chinese message saying what failed, whether data
was changed and where the log is; the window stays open.

Whether data was changed: the window's own connection counts the rows its statements
changed; the count is noted each time the event loop goes idle, so an unchanged count at the
failure means the failing handling wrote nothing (a changed one: it may have)."""

from __future__ import annotations

import sys
import weakref

from PySide6.QtCore import QAbstractEventDispatcher, Qt
from PySide6.QtWidgets import QMessageBox

from desktop import APP_NAME

_state: dict = {"window": None, "writes": None, "previous": None}


def install_exception_hook(window) -> None:
    """Route unexpected exceptions to `window` (the newest main window)."""
    _state["window"] = weakref.ref(window)
    _state["writes"] = _writes()
    if sys.excepthook is not _hook:
        _state["previous"] = sys.excepthook
        sys.excepthook = _hook
    dispatcher = QAbstractEventDispatcher.instance()
    if dispatcher is not None and not _state.get("connected"):
        dispatcher.aboutToBlock.connect(_idle)
        _state["connected"] = True


def _writes() -> tuple | None:
    """(this thread's connection, rows its statements changed so far), or None."""
    from db.models import database

    db = database.obj
    if db is None or db.is_closed():
        return None
    connection = db.connection()
    return id(connection), connection.total_changes


def _idle() -> None:
    _state["writes"] = _writes()


def _hook(exc_type, exc, tb) -> None:
    window = _state["window"]() if _state["window"] else None
    if window is None or issubclass(exc_type, KeyboardInterrupt):
        (_state["previous"] or sys.__excepthook__)(exc_type, exc, tb)
        return
    try:
        report(window, exc.with_traceback(tb))
    finally:
        previous = _state["previous"]
        if previous not in (None, sys.__excepthook__):
            previous(exc_type, exc, tb)  # pytest-qt's, in tests


def report(window, exc: BaseException) -> QMessageBox:
    """Log `exc` and show the clerk the Chinese message (one box at a time)."""
    from desktop.crash_log import failure_message, log_failure

    before, now = _state["writes"], _writes()
    changed = False if before is not None and before == now else None
    what = f"在“{window.current_page_title()}”页操作"
    log = log_failure(what, exc, window.db_path.parent)
    text = failure_message(what, changed, log, exc)
    box = getattr(window, "error_box", None)
    if box is not None and box.isVisible():
        box.setText(f"{box.text()}\n\n{text}")
        return box
    if box is None:
        box = QMessageBox(QMessageBox.Critical, APP_NAME, text, QMessageBox.Ok, window)
        box.setTextInteractionFlags(Qt.TextSelectableByMouse)  # the log's path can be copied
        window.error_box = box
    box.setText(text)
    box.open()  # not exec(): the failing handler returns, the window stays usable
    return box
