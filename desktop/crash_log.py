"""Unexpected failures (bugs, not the clerk's mistakes) leave a trace: the traceback goes to
a rotating log in the data folder, with ID numbers and phone numbers masked, and the clerk
gets one Chinese message saying what failed, whether data was changed and where the log is."""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import re
import tempfile
import traceback
from pathlib import Path

LOG_FOLDER = "logs"
LOG_FILE = "township-desk.log"
MAX_BYTES, BACKUP_COUNT = 1_000_000, 5

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{11}[\dXx](?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9])(1[3-9]\d)\d{8}(?![0-9])")


def mask(text: str) -> str:
    """18-digit ID numbers keep only their 6-digit region, 11-digit mobiles their prefix."""
    text = ID_NUMBER.sub(lambda m: m[1] + "*" * 12, text)
    return PHONE.sub(lambda m: m[1] + "*" * 8, text)


class _MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


def log_folder(data_dir: Path | None = None) -> Path:
    """`logs/` in the data folder: given, else the bound database's, else the default."""
    if data_dir is None:
        from db.models import database

        if database.obj is not None and database.database != ":memory:":
            data_dir = Path(database.database).parent
        else:
            from db.connection import default_data_dir

            data_dir = default_data_dir()
    return Path(data_dir) / LOG_FOLDER


_loggers: dict[Path, logging.Logger] = {}


def _logger(folder: Path) -> tuple[logging.Logger, Path]:
    """The logger writing to `folder` (or, if that cannot be written, to the temp folder)."""
    for candidate in (folder, Path(tempfile.gettempdir()) / "township-desk" / LOG_FOLDER):
        path = candidate / LOG_FILE
        if path in _loggers:
            return _loggers[path], path
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
            )
        except OSError:
            continue
        handler.setFormatter(_MaskingFormatter("%(asctime)s %(levelname)s %(message)s"))
        logger = logging.getLogger(f"township_desk.{len(_loggers)}")
        logger.propagate = False
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        _loggers[path] = logger
        return logger, path
    raise OSError("no folder for the log can be written")


def log_failure(what: str, exc: BaseException, data_dir: Path | None = None) -> Path | None:
    """Write `exc`'s traceback to the log; returns the log's path (None if nothing could
    be written anywhere: the clerk is still told what failed)."""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        logger, path = _logger(log_folder(data_dir))
        logger.error("%s\n%s", what, details)
        for handler in logger.handlers:
            handler.flush()
    except Exception:  # the log itself failing must not hide the first failure
        return None
    return path


def log_note(text: str, data_dir: Path | None = None) -> None:
    """A line for the maintainer (a library's clean-up error after a reported failure)."""
    try:
        logger, _path = _logger(log_folder(data_dir))
        logger.warning("%s", text)
    except Exception:  # never the reason a command fails
        pass


def failure_message(
    what: str, changed: bool | None, log: Path | None, exc: BaseException | None = None
) -> str:
    """The clerk's message: what failed, whether data was changed, where the details are.
    An operating-system or database error that nobody expected is still said in Chinese,
    naming the file and what to do."""
    import sqlite3

    import peewee

    if changed is False:
        data = "数据未改动。"
    else:
        data = "出错前已经保存的内容会保留，其余修改已撤销；请检查刚才的操作是否已完成。"
    where = (
        f"详细情况已记入日志文件 {log}，请把这个文件发给维护人员。"
        if log
        else "日志文件无法写入（磁盘已满或没有权限）。"
    )
    if isinstance(exc, OSError):
        from db.os_errors import explain_os_error

        return f"{what}时出错：{explain_os_error(exc)}{data}{where}"
    if isinstance(exc, (sqlite3.DatabaseError, peewee.DatabaseError)):
        from db.connection import explain_database_error

        return f"{what}时出错：{explain_database_error(exc)}{where}"
    return f"{what}时程序内部出错（{dt.datetime.now():%Y-%m-%d %H:%M:%S}）。{data}{where}"
