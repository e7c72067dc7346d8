"""Long work (export, import, carry-forward) off the GUI thread: the window never freezes.

SQLite connections are per thread in peewee, so a worker gets its own connection to the
same file. The window counts running jobs and refuses to close while any runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from db.errors import UserError


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)
    progress = Signal(str, int)


class _Job(QRunnable):
    def __init__(self, work: Callable[..., object]):
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def progress(self, text: str, percent: int) -> None:
        self.doing = text
        self.signals.progress.emit(text, percent)

    def run(self) -> None:
        from db.change_watch import ChangeWatch
        from db.models import database

        used = database.obj  # the database this job works on, even if the window reopens one
        bound = used is not None and used.database != ":memory:"
        watch = ChangeWatch(used.database) if bound else None
        self.doing = ""
        try:
            result = self.work(self.progress)
        except UserError as exc:
            self.signals.failed.emit(exc.message)
        except Exception as exc:  # a bug: log it, say it plainly, keep the window alive
            self.signals.failed.emit(unexpected_failure(exc, self.doing, watch))
        else:
            self.signals.done.emit(result)
        finally:
            for db in {id(d): d for d in (used, database.obj) if d is not None}.values():
                if not db.is_closed():
                    db.close()  # this thread's connection


def unexpected_failure(exc: Exception, doing: str, watch) -> str:
    """The traceback to the data folder's log; the clerk's Chinese message."""
    from desktop.crash_log import failure_message, log_failure

    what = f"后台处理（{doing.rstrip('…. ')}）" if doing else "后台处理"
    log = log_failure(what, exc, Path(watch.path).parent if watch else None)
    return failure_message(what, watch.changed() if watch else None, log, exc)


class Jobs(QObject):
    """The window's background jobs."""

    busy_changed = Signal(bool)
    progress = Signal(str, int)  # what is being done, percent

    def __init__(self, parent=None):
        super().__init__(parent)
        self.running = 0
        self.callbacks: dict[QObject, tuple] = {}
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one write at a time, in order

    def start(
        self,
        work: Callable[[Callable[[str, int], None]], object],
        done: Callable[[object], None],
        failed: Callable[[str], None],
    ) -> None:
        """Run `work(progress)` on the worker thread; `progress(text, percent)` reaches
        the window's status bar. `done(result)` or `failed(message)` is then called on the
        GUI thread, whatever kind of callable it is (a lambda connected straight to a
        worker's signal would run on the worker)."""
        job = _Job(work)
        self.callbacks[job.signals] = (done, failed)
        job.signals.progress.connect(self.progress)
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        self.running += 1
        self.busy_changed.emit(True)
        self.pool.start(job)

    @Slot(object)
    def _done(self, result) -> None:
        done, _failed = self._finish()
        done(result)

    @Slot(str)
    def _failed(self, message: str) -> None:
        _done, failed = self._finish()
        failed(message)

    def _finish(self):
        self.running -= 1
        self.busy_changed.emit(self.running > 0)
        return self.callbacks.pop(self.sender())

    def wait(self, msecs: int = 60_000) -> bool:
        return self.pool.waitForDone(msecs)
