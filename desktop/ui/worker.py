"""Long work (export, import, carry-forward) off the GUI thread: the window never freezes.

SQLite connections are per thread in peewee, so a worker gets its own connection to the
same file. The window counts running jobs and refuses to close while any runs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from db.errors import UserError


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], object]):
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except UserError as exc:
            self.signals.failed.emit(exc.message)
        except Exception as exc:  # a bug: say it plainly, keep the window alive
            self.signals.failed.emit(f"程序内部错误：{exc}")
        else:
            self.signals.done.emit(result)
        finally:
            from db.models import database

            if database.obj is not None and not database.obj.is_closed():
                database.obj.close()  # this thread's connection


class Jobs(QObject):
    """The window's background jobs."""

    busy_changed = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.running = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one write at a time, in order

    def start(
        self,
        work: Callable[[], object],
        done: Callable[[object], None],
        failed: Callable[[str], None],
    ) -> None:
        job = _Job(work)
        job.signals.done.connect(done)
        job.signals.failed.connect(failed)
        job.signals.done.connect(self._finished)
        job.signals.failed.connect(self._finished)
        self.running += 1
        self.busy_changed.emit(True)
        self.pool.start(job)

    def _finished(self, *_args) -> None:
        self.running -= 1
        self.busy_changed.emit(self.running > 0)

    def wait(self, msecs: int = 60_000) -> bool:
        return self.pool.waitForDone(msecs)
